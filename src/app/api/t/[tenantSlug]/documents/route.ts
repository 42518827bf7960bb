import { handleDocumentUpload } from "~/server/http/documents-route";
import { sessionUserOf } from "~/server/http/session-user";

// Uploads are per-user writes on Node (Prisma, storage): never cached or prerendered.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Uploads one document (raw bytes, name in x-filename). See src/server/http/documents-route.ts. */
export const POST = async (req: Request, ctx: { params: Promise<{ tenantSlug: string }> }) => {
  const { tenantSlug } = await ctx.params;
  return handleDocumentUpload(req, tenantSlug, () => sessionUserOf(req));
};
