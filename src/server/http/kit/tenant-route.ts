import "server-only";
import type { TRole } from "~/lib/roles";
import { ZTenantSlug } from "~/lib/slug";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { AppError, notFound } from "~/server/errors";
import type { TenantCtx } from "~/server/services/context";
import { assertWritable, resolveTenantContext } from "~/server/services/tenancy/tenant-context";
import { sessionUserOf, type RouteUser } from "../session-user";
import { isCrossSite, isUnsafeMethod } from "./origin";
import { instrumentedRoute, type RouteTelemetry } from "./telemetry";

/*
 * The route kit: what every cookie-authenticated route handler does before
 * its one service call, in one order — telemetry around everything, the
 * same-origin check for unsafe methods (cheap, before any lookup), the
 * session (revoked or expired → 401), then for tenant routes the workspace
 * by slug with a minimum role, the same rules as tRPC's tenantProcedure
 * (unknown workspace or not a member → 404, role too low or suspended → 403).
 * Handlers throw AppError; the kit answers it (kit/error-response.ts).
 */

export type RouteParams = Record<string, string>;
/** Next's second route-handler argument (tests may leave it out for routes without params). */
export type RouteContext<P extends RouteParams> = { params: Promise<P> };
export type RouteHandler<P extends RouteParams> = (req: Request, ctx?: RouteContext<P>) => Promise<Response>;

export type SignedInCtx<P extends RouteParams> = RouteTelemetry & { req: Request; params: P; user: RouteUser };
export type TenantRouteCtx<P extends { tenantSlug: string }> = SignedInCtx<P> & { tenant: TenantCtx };
export type RouteOptions = { /** The route template, e.g. "/api/t/[tenantSlug]/chat": span name and metric label. */ route: string };

const refuseCrossSite = (req: Request) => {
  if (isUnsafeMethod(req.method) && isCrossSite(req)) throw new AppError("FORBIDDEN", "crossOrigin", "Cross-site requests are not allowed");
};

/** Whatever happened, do not leave an unread request body hanging on the connection. */
const releaseBody = async (req: Request) => {
  if (req.body && !req.bodyUsed) await req.body.cancel().catch(() => undefined);
};

/**
 * A signed-in route: origin check, session, then `handler`. The building
 * block of tenantRoute and platformAdminRoute.
 */
export const signedInRoute =
  <P extends RouteParams>(handler: (ctx: SignedInCtx<P>) => Promise<Response>, opts: RouteOptions): RouteHandler<P> =>
  (req, routeCtx) =>
    instrumentedRoute(req, opts.route, async (t) => {
      try {
        refuseCrossSite(req);
        const user = await sessionUserOf(req);
        if (!user) throw new AppError("UNAUTHORIZED", "unauthenticated", "Sign in first");
        t.span.setAttribute("enduser.id", user.id);
        return await handler({ ...t, req, params: ((await routeCtx?.params) ?? {}) as P, user });
      } finally {
        await releaseBody(req);
      }
    });

/** The workspace named by the URL, for this user, with at least `minRole`. */
const tenantOf = async (req: Request, user: RouteUser, rawSlug: string, minRole: TRole): Promise<TenantCtx> => {
  // A malformed slug names no workspace: the same 404 as an unknown one.
  const slug = ZTenantSlug.safeParse(rawSlug);
  if (!slug.success) throw notFound("Workspace");
  return resolveTenantContext({ userId: user.id, isPlatformAdmin: user.isPlatformAdmin, meta: requestMetaFrom(req.headers) }, slug.data, minRole);
};

/**
 * A route under /api/t/[tenantSlug]/… for members with at least `minRole`;
 * `handler` gets the tenant context for its service call.
 */
export const tenantRoute = <P extends { tenantSlug: string }>(minRole: TRole, handler: (ctx: TenantRouteCtx<P>) => Promise<Response>, opts: RouteOptions): RouteHandler<P> =>
  signedInRoute<P>(async (ctx) => {
    const tenant = await tenantOf(ctx.req, ctx.user, ctx.params.tenantSlug, minRole);
    ctx.span.setAttribute("ocsuite.tenant.id", tenant.tenantId);
    // A workspace scheduled for deletion is read-only: downloads (GET) still work, uploads and chat turns do not.
    if (isUnsafeMethod(ctx.req.method)) assertWritable(tenant);
    return handler({ ...ctx, tenant });
  }, opts);
