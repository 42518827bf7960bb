import "server-only";
import { isLocale } from "~/lib/locales";
import { findUnsafeText, UNSAFE_TEXT_MESSAGE } from "~/lib/safe-text";
import { AppError } from "~/server/errors";
import { readBodyWithLimit } from "~/server/infra/body-limit";
import { metrics } from "~/server/infra/metrics";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { startChatTurn, type ChatTurnEvent, type ChatTurnInput } from "~/server/services/chat/turns";
import type { TenantRouteCtx } from "./kit/tenant-route";

/*
 * POST /api/t/[tenantSlug]/chat — one chat turn, streamed as NDJSON (ADR 0010).
 * The route kit (tenantRoute, MEMBER) has checked origin, session and
 * workspace; this adds the rate limits and body cap and turns the service's
 * events into lines. Refusals happen before the stream starts and are JSON
 * `{ error: { code, reason, message } }` with the AppError's HTTP status.
 */

export const CHAT_ROUTE = "/api/t/[tenantSlug]/chat";
/**
 * Any valid body fits: 20 000 UTF-16 units of content are at most 60 000 bytes
 * of UTF-8, or 120 000 if every one is a control character JSON escapes as \u00XX.
 */
export const CHAT_MAX_BODY_BYTES = 128 * 1024;

/** The UI locale from next-intl's NEXT_LOCALE cookie (the locale of the page the user is on). */
const cookieLocale = (req: Request): string | null => {
  const m = /(?:^|;\s*)NEXT_LOCALE=([^;]+)/.exec(req.headers.get("cookie") ?? "");
  const v = m ? decodeURIComponent(m[1]!) : null;
  return isLocale(v) ? v : null;
};

/** The body as JSON, within CHAT_MAX_BODY_BYTES (413) and well-formed (400). */
const jsonBody = async (req: Request): Promise<unknown> => {
  const bytes = await readBodyWithLimit(req, CHAT_MAX_BODY_BYTES);
  if (bytes === null) throw new AppError("PAYLOAD_TOO_LARGE", "payloadTooLarge", `Request body exceeds ${CHAT_MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "invalidInput", "The body must be JSON");
  }
  // NUL or a lone surrogate anywhere would reach Postgres and fail there as a 500.
  if (findUnsafeText(body)) throw new AppError("BAD_REQUEST", "invalidInput", UNSAFE_TEXT_MESSAGE);
  return body;
};

const ndjsonOf = (events: AsyncIterator<ChatTurnEvent>, stop: AbortController) => {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (next.done) {
        controller.close();
        return;
      }
      // Dates become ISO strings through Date#toJSON.
      controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    cancel() {
      stop.abort(new DOMException("client closed the stream", "AbortError"));
    },
  });
};

/** One chat turn for a member of the workspace (see tenantRoute). */
export const handleChatTurn = async ({ req, user, tenant, measureUntil }: TenantRouteCtx<{ tenantSlug: string }>): Promise<Response> => {
  const receivedAt = performance.now();
  // Per user, per client IP and per workspace (workload-limits.ts: RATE_LIMIT_CHAT_*).
  await enforceWorkloadLimit("chat", actorOf(tenant)).catch((err: unknown) => {
    metrics.chatTurnsRefused.add(1, { "error.type": "rateLimited" });
    throw err;
  });
  // Not validated here: startChatTurn parses it (ZChatTurnInput) before
  // anything is written and refuses with BAD_REQUEST invalidInput — one parse.
  const input = (await jsonBody(req)) as ChatTurnInput;

  // The turn stops when the client goes away (request aborted) or cancels the stream.
  const stop = new AbortController();
  const onAbort = () => stop.abort(req.signal.reason);
  if (req.signal.aborted) onAbort();
  else req.signal.addEventListener("abort", onAbort, { once: true });

  const turn = await startChatTurn({ tenantId: tenant.tenantId, userId: user.id, meta: tenant.meta }, input, { signal: stop.signal, locale: cookieLocale(req), receivedAt }).catch((err: unknown) => {
    req.signal.removeEventListener("abort", onAbort);
    throw err;
  });
  // Measured (and the span ended) when the turn is over, whoever stops reading.
  measureUntil(
    turn.finished
      .finally(() => req.signal.removeEventListener("abort", onAbort))
      .then((o) => (o.status === "complete" ? "OK" : o.status === "stopped" ? "STOPPED" : "FAILED")),
  );
  return new Response(ndjsonOf(turn.events[Symbol.asyncIterator](), stop), {
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
