import "server-only";
import { AppError } from "~/server/errors";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { ACTOR_TYPES, EXPORT_FORMATS, exportTenantAudit, ZTenantAuditFilter } from "~/server/services/audit/tenant-audit";
import { contentDispositionFor } from "./kit/content-disposition";
import type { TenantRouteCtx } from "./kit/tenant-route";

/*
 * GET /api/t/[tenantSlug]/audit/export?format=csv|json[&action=&actor=&actorType=&from=&to=]
 *
 * The tenant's audit trail as a download, for its owners and admins: the
 * route kit (tenantRoute, ADMIN) answers session (401), membership (unknown
 * workspace or not a member: 404) and role (403). The export is itself
 * audited (`audit.exported`) and rate-limited (429 + Retry-After). A tRPC query cannot answer with a file, hence a
 * route.
 */

export const AUDIT_EXPORT_ROUTE = "/api/t/[tenantSlug]/audit/export";

const optionalDate = (v: string | null) => {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new AppError("BAD_REQUEST", "invalidInput", "from/to must be dates (ISO 8601)");
  return d;
};

const filterOf = (q: URLSearchParams) => {
  const actorType = q.get("actorType") || undefined;
  if (actorType && !(ACTOR_TYPES as readonly string[]).includes(actorType)) throw new AppError("BAD_REQUEST", "invalidInput", "Unknown actorType");
  const parsed = ZTenantAuditFilter.safeParse({
    action: q.get("action") || undefined,
    actor: q.get("actor") || undefined,
    actorType,
    from: optionalDate(q.get("from")),
    to: optionalDate(q.get("to")),
  });
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", "Invalid filter");
  return parsed.data;
};

/** One export of the workspace's audit trail (ADMIN and up; see tenantRoute). */
export const handleAuditExport = async ({ req, tenant }: TenantRouteCtx<{ tenantSlug: string }>): Promise<Response> => {
  const url = new URL(req.url);
  const format = url.searchParams.get("format") ?? "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new AppError("BAD_REQUEST", "invalidInput", "format must be csv or json");
  const filter = filterOf(url.searchParams);
  // Exports read the whole trail: per user, per client IP and per workspace (RATE_LIMIT_EXPORTS_*).
  await enforceWorkloadLimit("export", actorOf(tenant));
  const out = await exportTenantAudit(tenant, { format: format as "csv" | "json", filter });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(out.body, {
    status: 200,
    headers: {
      "content-type": out.contentType,
      "content-disposition": contentDispositionFor(`audit-${tenant.tenantSlug}-${day}.${format}`),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
};
