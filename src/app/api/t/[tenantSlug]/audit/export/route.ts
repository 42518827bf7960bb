import { handleAuditExport } from "~/server/http/audit-export-route";
import { sessionUserOf } from "~/server/http/session-user";

// Per-user, per-request data on Node (Prisma): never cached or prerendered.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The workspace's audit trail as CSV or JSON (owners and admins). See src/server/http/audit-export-route.ts. */
export const GET = async (req: Request, ctx: { params: Promise<{ tenantSlug: string }> }) => {
  const { tenantSlug } = await ctx.params;
  return handleAuditExport(req, tenantSlug, () => sessionUserOf(req));
};
