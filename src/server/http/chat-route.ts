import "server-only";
import { SpanKind, SpanStatusCode, context as otelContext, trace, type Span } from "@opentelemetry/api";
import { z } from "zod";
import { isLocale } from "~/lib/locales";
import { ZTenantSlug } from "~/lib/slug";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { AppError, isAppError } from "~/server/errors";
import { readBodyWithLimit } from "~/server/infra/body-limit";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { env } from "~/env";
import { hitRateLimit } from "~/server/infra/rate-limit";
import { tracer } from "~/server/infra/tracing";
import { startChatTurn, ZChatTurnInput, type ChatTurnEvent } from "~/server/services/chat/turns";
import { resolveTenantContext } from "~/server/services/tenancy/tenant-context";

/*
 * POST /api/t/[tenantSlug]/chat — one chat turn, streamed as NDJSON.
 * The route file only finds the session; everything else is here so tests can
 * drive it with real Requests. Refusals happen before the stream starts and are
 * JSON `{ error: { code, reason, message } }` with the AppError's HTTP status.
 */

export const CHAT_ROUTE = "/api/t/[tenantSlug]/chat";
/**
 * Any valid body fits: 20 000 UTF-16 units of content are at most 60 000 bytes
 * of UTF-8, or 120 000 if every one is a control character JSON escapes as \u00XX.
 */
export const CHAT_MAX_BODY_BYTES = 128 * 1024;
/** Turns per user per minute (RATE_LIMIT_CHAT_PER_MINUTE, default 30). */
export const chatRateLimit = () => ({ name: "chat-turn", limit: env.RATE_LIMIT_CHAT_PER_MINUTE, windowSeconds: 60 });

export type ChatRouteUser = { id: string; isPlatformAdmin: boolean };

const errorResponse = (status: number, code: string, reason: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, reason, message } }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

const fromAppError = (err: AppError) =>
  errorResponse(err.httpStatus, err.code, err.reason, err.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : err.message, {
    ...(err.retryAfterSeconds !== undefined ? { "Retry-After": String(err.retryAfterSeconds) } : {}),
  });

/**
 * CSRF: the session is a cookie, so a cross-site page could make the browser
 * POST here. Browsers send Origin (and Sec-Fetch-Site) on every POST; anything
 * but our own origin is refused. Non-browser clients without Origin carry no
 * ambient cookie, so they are not a CSRF vector.
 */
export const isCrossSite = (req: Request): boolean => {
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = req.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, file://) or garbage
  }
  const allowed = new Set<string>();
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(host.split(",")[0]!.trim().toLowerCase());
  if (process.env.APP_URL) {
    try {
      allowed.add(new URL(process.env.APP_URL).host.toLowerCase());
    } catch {
      // env.js validates APP_URL; nothing to add if it is unusable
    }
  }
  return !allowed.has(originHost.toLowerCase());
};

/** The UI locale from next-intl's NEXT_LOCALE cookie (the locale of the page the user is on). */
const cookieLocale = (req: Request): string | null => {
  const m = /(?:^|;\s*)NEXT_LOCALE=([^;]+)/.exec(req.headers.get("cookie") ?? "");
  const v = m ? decodeURIComponent(m[1]!) : null;
  return isLocale(v) ? v : null;
};

const observe = (span: Span, started: number, status: string, httpStatus: number) => {
  metrics.rpcDuration.observe({ procedure: CHAT_ROUTE, type: "route", status }, (performance.now() - started) / 1000);
  if (status !== "OK") metrics.rpcErrors.inc({ procedure: CHAT_ROUTE, status });
  span.setAttribute("http.response.status_code", httpStatus);
  if (httpStatus >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: status });
  span.end();
};

/**
 * Handles one chat request. `getUser` resolves the session (Auth.js in the
 * route; it runs after the cheap origin check).
 */
export const handleChatRequest = async (req: Request, tenantSlug: string, getUser: () => Promise<ChatRouteUser | null>): Promise<Response> => {
  const started = performance.now();
  const span = tracer.startSpan(`POST ${CHAT_ROUTE}`, {
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": "POST", "http.route": CHAT_ROUTE },
  });
  try {
    // A streamed answer is measured when its turn ends (see handle); a refusal here.
    return await otelContext.with(trace.setSpan(otelContext.active(), span), () => handle(req, tenantSlug, getUser, span, started));
  } catch (err) {
    const appError = isAppError(err) ? err : null;
    if (!appError) {
      logger.error({ err, route: CHAT_ROUTE }, "chat request failed");
      span.recordException(err as Error);
    } else span.setAttribute("error.type", appError.reason);
    const response = appError ? fromAppError(appError) : errorResponse(500, "INTERNAL_SERVER_ERROR", "internalError", "Internal server error");
    observe(span, started, appError?.code ?? "INTERNAL_SERVER_ERROR", response.status);
    return response;
  }
};

const handle = async (req: Request, rawSlug: string, getUser: () => Promise<ChatRouteUser | null>, span: Span, started: number): Promise<Response> => {
  if (isCrossSite(req)) throw new AppError("FORBIDDEN", "crossOrigin", "Cross-site requests are not allowed");

  const user = await getUser();
  if (!user) throw new AppError("UNAUTHORIZED", "unauthenticated", "Sign in first");
  span.setAttribute("enduser.id", user.id);

  const limited = await hitRateLimit({ ...chatRateLimit(), key: user.id });
  if (!limited.allowed) {
    metrics.chatTurnsRefused.inc({ reason: "rateLimited" });
    throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many chat messages; wait a moment", { retryAfterSeconds: limited.retryAfterSeconds });
  }

  const bytes = await readBodyWithLimit(req, CHAT_MAX_BODY_BYTES);
  if (bytes === null) throw new AppError("PAYLOAD_TOO_LARGE", "payloadTooLarge", `Request body exceeds ${CHAT_MAX_BODY_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "invalidInput", "The body must be JSON");
  }
  const parsed = ZChatTurnInput.safeParse(json);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", z.prettifyError(parsed.error));

  // A malformed slug names no workspace: the same 404 as an unknown one.
  const slug = ZTenantSlug.safeParse(rawSlug);
  if (!slug.success) throw new AppError("NOT_FOUND", "notFound", "Workspace not found");
  const meta = requestMetaFrom(req.headers);
  const tenant = await resolveTenantContext({ userId: user.id, isPlatformAdmin: user.isPlatformAdmin, meta }, slug.data, "MEMBER");
  span.setAttribute("ocsuite.tenant_id", tenant.tenantId);

  // The turn stops when the client goes away (request aborted) or cancels the stream.
  const stop = new AbortController();
  const onAbort = () => stop.abort(req.signal.reason);
  if (req.signal.aborted) onAbort();
  else req.signal.addEventListener("abort", onAbort, { once: true });

  const turn = await startChatTurn({ tenantId: tenant.tenantId, userId: user.id, meta }, parsed.data, { signal: stop.signal, locale: cookieLocale(req) }).catch((err: unknown) => {
    req.signal.removeEventListener("abort", onAbort);
    throw err;
  });
  const events = turn.events[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let ended = false;
  const end = (status: string) => {
    if (ended) return;
    ended = true;
    req.signal.removeEventListener("abort", onAbort);
    observe(span, started, status, 200);
  };
  // Measured (and the span ended) when the turn is over, whoever stops reading.
  void turn.finished.then((o) => end(o.status === "complete" ? "OK" : o.status === "stopped" ? "STOPPED" : "FAILED"));

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (next.done) {
        controller.close();
        return;
      }
      // Dates become ISO strings through Date#toJSON.
      controller.enqueue(encoder.encode(`${JSON.stringify(next.value satisfies ChatTurnEvent)}\n`));
    },
    cancel() {
      stop.abort(new DOMException("client closed the stream", "AbortError"));
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      // Proxies and compression must not hold deltas back.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff",
    },
  });
};
