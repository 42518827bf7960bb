import "server-only";
import { ZTenantSlug } from "~/lib/slug";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { AppError, isAppError, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { ACTOR_TYPES, EXPORT_FORMATS, exportTenantAudit, ZTenantAuditFilter } from "~/server/services/audit/tenant-audit";
import { resolveTenantContext } from "~/server/services/tenancy/tenant-context";
import { contentDispositionFor } from "./documents-route";
import type { RouteUser } from "./documents-route";

/*
 * GET /api/t/[tenantSlug]/audit/export?format=csv|json[&action=&actor=&actorType=&from=&to=]
 *
 * The tenant's audit trail as a download, for its owners and admins: session
 * (401), membership (unknown workspace or not a member: 404), ADMIN role
 * (403). The export is itself audited (`audit.exported`). A tRPC query cannot
 * answer with a file, hence a route; the logic is here so tests drive it with
 * real Requests.
 */

export const AUDIT_EXPORT_ROUTE = "/api/t/[tenantSlug]/audit/export";

const errorResponse = (status: number, code: string, reason: string, message: string) =>
  new Response(JSON.stringify({ error: { code, reason, message } }), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

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

export const handleAuditExport = async (req: Request, rawSlug: string, getUser: () => Promise<RouteUser | null>): Promise<Response> => {
  const started = performance.now();
  let status = "OK";
  try {
    const url = new URL(req.url);
    const format = url.searchParams.get("format") ?? "csv";
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new AppError("BAD_REQUEST", "invalidInput", "format must be csv or json");
    const user = await getUser();
    if (!user) throw new AppError("UNAUTHORIZED", "unauthenticated", "Sign in first");
    const slug = ZTenantSlug.safeParse(rawSlug);
    if (!slug.success) throw notFound("Workspace");
    const tenant = await resolveTenantContext({ userId: user.id, isPlatformAdmin: user.isPlatformAdmin, meta: requestMetaFrom(req.headers) }, slug.data, "ADMIN");
    const filter = filterOf(url.searchParams);
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
  } catch (err) {
    if (isAppError(err)) {
      status = err.code;
      return errorResponse(err.httpStatus, err.code, err.reason, err.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : err.message);
    }
    status = "INTERNAL_SERVER_ERROR";
    logger.error({ err, route: AUDIT_EXPORT_ROUTE }, "audit export failed");
    return errorResponse(500, "INTERNAL_SERVER_ERROR", "internalError", "Internal server error");
  } finally {
    metrics.rpcDuration.observe({ procedure: AUDIT_EXPORT_ROUTE, type: "route", status }, (performance.now() - started) / 1000);
    if (status !== "OK") metrics.rpcErrors.inc({ procedure: AUDIT_EXPORT_ROUTE, status });
  }
};
