import { AUDIT_EXPORT_ACTION, AUDIT_EXPORT_ROUTE, handleAuditExport } from "~/server/http/admin-audit-export";
import { platformAdminRoute } from "~/server/http/kit/platform-admin-route";

// Per-admin, streamed, audited: never cached or prerendered; Node for Prisma.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The audit log as CSV or JSON. See src/server/http/admin-audit-export.ts. */
export const GET = platformAdminRoute(handleAuditExport, { route: AUDIT_EXPORT_ROUTE, action: AUDIT_EXPORT_ACTION });
