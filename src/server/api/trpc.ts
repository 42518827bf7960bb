/**
 * tRPC setup: 1. CONTEXT  2. INITIALISATION (error mapping)  3. PROCEDURES.
 * Procedures are the only place where authentication and tenant roles are
 * checked; routers stay thin and call one service each.
 */
import "server-only";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { env } from "~/env";
import type { TRole } from "~/lib/roles";
import { ZSafeInput } from "~/lib/safe-text";
import { ZTenantSlug } from "~/lib/slug";
import { auth } from "~/server/auth";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { readSession } from "~/server/auth/session-lookup";
import { AppError, isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { tracer } from "~/server/infra/tracing";
import { isCrossSite, isUnsafeMethod } from "~/server/http/kit/origin";
import { recordAudit } from "~/server/services/audit/audit";
import type { RequestMeta, UserCtx } from "~/server/services/context";
import { assertWritable, resolveTenantContext } from "~/server/services/tenancy/tenant-context";

// 1. CONTEXT ---------------------------------------------------------------

export type SessionUser = { id: string; email: string; name?: string | null; isPlatformAdmin: boolean };

/** Everything a procedure may know about the caller. Built per request. */
export type TRPCContext = { user: SessionUser | null; meta: RequestMeta; appUrl: string };

/** The inner context: no Request needed, so tests and the authorisation matrix build it directly. */
export const createInnerTRPCContext = (opts: TRPCContext): TRPCContext => opts;

type SessionOf = (ctx: { req: Request; res: { headers: Headers } }) => Promise<{ user?: SessionUser } | null>;

/**
 * `req` is the HTTP request (the route handler); without it (React Server
 * Components) the session comes from Next's request scope. With it, Auth.js
 * reads that request's cookies (the `{ req, res }` form, the same jwt callback),
 * which needs no Next scope, so tests can drive the route over real HTTP.
 */
export const createTRPCContext = async (opts: { headers: Headers; req?: Request }): Promise<TRPCContext> => {
  if (opts.req && isUnsafeMethod(opts.req.method) && isCrossSite(opts.req)) {
    // CSRF: the session is a cookie, so a cross-site page could make the browser call a mutation.
    // The same rule as the route kit's (server/http/kit/origin.ts).
    const cause = new AppError("FORBIDDEN", "crossOrigin", "Cross-site requests are not allowed");
    throw new TRPCError({ code: "FORBIDDEN", message: cause.message, cause });
  }
  // A Session row that cannot be read (the database down) is a 503, not a signed-out caller (auth/session-lookup.ts).
  const session = await readSession(() => (opts.req ? (auth as unknown as SessionOf)({ req: opts.req, res: { headers: new Headers() } }) : auth())).catch((err: unknown) => {
    throw isAppError(err) ? new TRPCError({ code: "SERVICE_UNAVAILABLE", message: err.message, cause: err }) : err;
  });
  const host = opts.headers.get("x-forwarded-host") ?? opts.headers.get("host") ?? "localhost:3000";
  const proto = opts.headers.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return createInnerTRPCContext({
    user: session?.user ?? null,
    meta: requestMetaFrom(opts.headers),
    appUrl: env.APP_URL ?? `${proto}://${host}`,
  });
};

// 2. INITIALISATION ----------------------------------------------------------

const TRPC_CODE_BY_APP_CODE = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const;

/**
 * A refusal's localisable reason: "invalidInput", unless a refinement names a more useful one in
 * its params (`.refine(fn, { params: { reason: "legalNotAccepted" } })`), so a form can say why.
 */
const zodReason = (error: ZodError): string => {
  for (const issue of error.issues) {
    const reason = issue.code === "custom" ? (issue.params as { reason?: unknown } | undefined)?.reason : undefined;
    if (typeof reason === "string") return reason;
  }
  return "invalidInput";
};

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const appError = isAppError(error.cause) ? error.cause : null;
    return {
      ...shape,
      // Internal errors never leak their message to the client.
      message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        reason: appError?.reason ?? (error.cause instanceof ZodError ? zodReason(error.cause) : null),
        retryAfterSeconds: appError?.retryAfterSeconds ?? null,
        params: appError?.params ?? null,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Services throw AppError; this maps it to a TRPCError in one place. */
const appErrorMiddleware = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const app = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE_BY_APP_CODE[app.code], message: app.message, cause: app });
  }
  return result;
});

/** One span and one histogram sample per procedure call. */
const telemetryMiddleware = t.middleware(async ({ path, type, next, ctx }) => {
  return tracer.startActiveSpan(`trpc ${path}`, { attributes: { "rpc.system": "trpc", "rpc.method": path, "rpc.type": type } }, async (span) => {
    const start = performance.now();
    const result = await next();
    const status = result.ok ? "OK" : result.error.code;
    const seconds = (performance.now() - start) / 1000;
    // One route for every procedure (a template per procedure would be a label per path); the procedure is rpc.method.
    const httpStatus = result.ok ? 200 : getHTTPStatusCodeFromError(result.error);
    metrics.httpServerDuration.record(seconds, {
      "http.request.method": type === "mutation" ? "POST" : "GET",
      "http.route": "/api/trpc",
      "http.response.status_code": httpStatus,
      "rpc.system": "trpc",
      "rpc.method": path,
      ...(httpStatus >= 500 ? { "error.type": status } : {}),
    });
    if (ctx.user) span.setAttribute("enduser.id", ctx.user.id);
    span.setAttribute("rpc.trpc.status", status);
    if (!result.ok) {
      if (result.error.code === "INTERNAL_SERVER_ERROR") {
        span.recordException(result.error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
        logger.error({ err: result.error.cause ?? result.error, procedure: path }, "procedure failed");
      }
    }
    span.end();
    return result;
  });
});

// 3. PROCEDURES --------------------------------------------------------------

/**
 * Every string anywhere in the input must be storable text (no NUL, no lone
 * surrogate; src/lib/safe-text.ts), checked on the raw input before any
 * procedure's own schema, so a forgotten field cannot turn into a 500 from
 * Postgres. Refused as BAD_REQUEST with a ZodError, like any invalid input.
 */
const safeTextMiddleware = t.middleware(async ({ getRawInput, next }) => {
  const checked = ZSafeInput.safeParse(await getRawInput());
  if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: checked.error });
  return next();
});

const baseProcedure = t.procedure.use(telemetryMiddleware).use(appErrorMiddleware).use(safeTextMiddleware);

/** Anyone, signed in or not. */
export const publicProcedure = baseProcedure;

/** A signed-in user. Anonymous callers get UNAUTHORIZED (the only place it is used). */
export const protectedProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  const userCtx: UserCtx = { userId: ctx.user.id, isPlatformAdmin: ctx.user.isPlatformAdmin, meta: ctx.meta };
  return next({ ctx: { user: ctx.user, userCtx } });
});

export const ZTenantInput = z.object({ tenantSlug: ZTenantSlug });

/**
 * The mutations a workspace scheduled for deletion still accepts (issue 16): cancelling the deletion,
 * and exporting its data (a request and a download link write only the export's own rows). Every
 * other mutation of that workspace is refused with workspacePendingDeletion; queries are not.
 */
const WRITES_WHILE_PENDING_DELETION = new Set(["deletion.cancelWorkspace", "dataExport.request", "dataExport.link"]);

/**
 * A member of the tenant named by `input.tenantSlug` with at least `minRole`.
 * Puts the tenant context (`ctx.tenant`) on the context for the service call.
 * Unknown tenant or not a member → NOT_FOUND; role too low → FORBIDDEN;
 * a write to a workspace scheduled for deletion → FORBIDDEN (workspacePendingDeletion).
 */
export const tenantProcedure = (minRole: TRole) =>
  protectedProcedure.input(ZTenantInput).use(async ({ ctx, input, next, type, path }) => {
    const tenant = await resolveTenantContext(ctx.userCtx, input.tenantSlug, minRole)
      .then((resolved) => {
        if (type === "mutation" && !WRITES_WHILE_PENDING_DELETION.has(path)) assertWritable(resolved);
        return resolved;
      })
      .catch((err: unknown) => {
        if (err instanceof AppError) throw new TRPCError({ code: TRPC_CODE_BY_APP_CODE[err.code], message: err.message, cause: err });
        throw err;
      });
    // The procedure's span (telemetryMiddleware's, active here) names the workspace; spans and logs
    // carry the tenant id, metric labels never do (unbounded).
    trace.getActiveSpan()?.setAttribute("ocsuite.tenant.id", tenant.tenantId);
    return next({ ctx: { tenant } });
  });

/**
 * A platform admin (our staff). Every call, read or write, allowed or not, is
 * written to the platform audit chain with the procedure path.
 */
export const platformAdminProcedure = protectedProcedure.use(async ({ ctx, next, path, type, getRawInput }) => {
  // `path` is the full procedure path ("admin.users"); do not prefix it twice.
  const action = path.startsWith("admin.") ? path : `admin.${path}`;
  if (!ctx.user.isPlatformAdmin) {
    await recordAudit({ actorId: ctx.user.id, actorType: "USER", action, result: "DENIED", meta: ctx.meta });
    throw new TRPCError({ code: "FORBIDDEN", message: "Platform admins only" });
  }
  const result = await next();
  const rawInput = await getRawInput().catch(() => undefined);
  await recordAudit({
    actorId: ctx.user.id,
    actorType: "PLATFORM_ADMIN",
    action,
    result: result.ok ? "SUCCESS" : "FAILURE",
    metadata: { type, input: rawInput ?? null },
    meta: ctx.meta,
  });
  return result;
});
