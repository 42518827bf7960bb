import { AUDIT_EXPORT_ROUTE, handleAuditExport } from "~/server/http/audit-export-route";
import { tenantRoute } from "~/server/http/kit/tenant-route";

// Per-user, per-request data on Node (Prisma): never cached or prerendered.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The workspace's audit trail as CSV or JSON (owners and admins). See src/server/http/audit-export-route.ts. */
export const GET = tenantRoute("ADMIN", handleAuditExport, { route: AUDIT_EXPORT_ROUTE });
