import "server-only";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { AppError } from "~/server/errors";
import { recordAudit } from "~/server/services/audit/audit";
import type { RequestMeta } from "~/server/services/context";
import { signedInRoute, type RouteHandler, type RouteOptions, type RouteParams, type SignedInCtx } from "./tenant-route";

export type PlatformAdminRouteCtx<P extends RouteParams> = SignedInCtx<P> & { meta: RequestMeta };

/**
 * A route for platform admins (our staff), like tRPC's platformAdminProcedure:
 * anyone else is refused with 403 and the refusal is written to the platform
 * audit chain as `action` (with the query string). The handler audits its own
 * outcome, because only it knows what to record (filter, format, …).
 */
export const platformAdminRoute = <P extends RouteParams = Record<string, never>>(
  handler: (ctx: PlatformAdminRouteCtx<P>) => Promise<Response>,
  opts: RouteOptions & { action: string },
): RouteHandler<P> =>
  signedInRoute<P>(async (ctx) => {
    const meta = requestMetaFrom(ctx.req.headers);
    if (!ctx.user.isPlatformAdmin) {
      const query = Object.fromEntries(new URL(ctx.req.url).searchParams);
      await recordAudit({ actorId: ctx.user.id, actorType: "USER", action: opts.action, result: "DENIED", metadata: { query }, meta });
      throw new AppError("FORBIDDEN", "forbidden", "Platform admins only");
    }
    return handler({ ...ctx, meta });
  }, opts);
