import { handleAuditExport } from "~/server/http/admin-audit-export";
import { sessionUserOf } from "~/server/http/session-user";

// Per-admin, streamed, audited: never cached or prerendered; Node for Prisma.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The audit log as CSV or JSON. See src/server/http/admin-audit-export.ts. */
export const GET = async (req: Request) => handleAuditExport(req, () => sessionUserOf(req));
