/**
 * HTTP towards the SDK's serve endpoint: the headers every executor request
 * carries (server kind, signature), the call request itself (SDK spec 4.2:
 * `?fnId&stepId`, `{event, events, steps, ctx, version: 2}` as canonical
 * JSON, because the SDK verifies the signature over the canonical form), and
 * reading `Retry-After` from a response. Pure except for postCall's fetch.
 */
import { canonicalJson, signBody } from "./signature";
import type { Item, Run } from "./context";
import type { JsonError, RegisteredFunction, StepState } from "./types";

/** "cloud" makes the SDK require a signature; without a signing key we are a dev server. */
export const sdkHeaders = (body: string, signingKey: string | undefined, extra: Record<string, string>) => {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-server-kind": signingKey ? "cloud" : "dev",
    ...extra,
  };
  if (signingKey) headers["x-inngest-signature"] = signBody(body, signingKey);
  return headers;
};

/** A memoized step as read from InngestStep (a non-null error column means the step failed). */
export type StepRow = { stepId: string; data: unknown; error: unknown };

export type CallRequest = { url: URL; headers: Record<string, string>; body: string };

/** The call request for `item` of `run`, with `steps` (in completion order) as memoized state and `ctx.stack`. */
export const buildCallRequest = (
  fn: RegisteredFunction,
  run: Pick<Run, "id" | "functionId" | "event" | "events" | "maxAttempts" | "disableImmediate">,
  item: Pick<Item, "stepId" | "attempt">,
  steps: StepRow[],
  signingKey: string | undefined,
): CallRequest => {
  const stepState: Record<string, StepState> = {};
  for (const s of steps) stepState[s.stepId] = s.error !== null ? { error: s.error as JsonError } : { data: s.data };
  const stack = steps.map((s) => s.stepId);
  const body = canonicalJson({
    event: run.event,
    events: run.events,
    steps: stepState,
    ctx: {
      run_id: run.id,
      attempt: item.attempt,
      max_attempts: run.maxAttempts,
      disable_immediate_execution: run.disableImmediate,
      // Payloads are always inline: the /v0/runs/<id>/batch|actions API is not served.
      use_api: false,
      stack: { stack, current: Math.max(0, stack.length - 1) },
    },
    version: 2,
  });
  const url = new URL(fn.url);
  url.searchParams.set("fnId", run.functionId);
  url.searchParams.set("stepId", item.stepId);
  return { url, headers: sdkHeaders(body, signingKey, { "x-inngest-req-version": "2" }), body };
};

export type CallResponse = {
  status: number;
  headers: Headers;
  text: string;
  /**
   * The app refused the connection (nothing listening: a worker or web process
   * restarting): the request never reached it, so no step ran. Retried without
   * spending an attempt (settle.ts), for up to APP_UNREACHABLE_GRACE_MS.
   */
  refused?: boolean;
};

/** Connection refused, at any depth of the error's causes (undici: TypeError "fetch failed" → cause ECONNREFUSED). */
const isRefused = (err: unknown): boolean => {
  for (let e = err as { code?: string; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === "ECONNREFUSED") return true;
    // Happy eyeballs: an AggregateError of one refusal per address.
    if (Array.isArray(e.errors) && e.errors.length && e.errors.every(isRefused)) return true;
  }
  return false;
};

/** Sends a call request. A transport failure or timeout becomes status 0 with an ExecutorRequestError body, so it is retried like a 5xx. */
export const postCall = async (request: CallRequest, timeoutMs: number): Promise<CallResponse> => {
  try {
    const res = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    return {
      status: 0,
      headers: new Headers(),
      text: JSON.stringify({ name: "ExecutorRequestError", message: (err as Error).message }),
      refused: isRefused(err),
    };
  }
};

/** `Retry-After` (seconds or an HTTP date) wins over the backoff for retry number `attempt`. */
export const retryDelay = (headers: Headers, attempt: number, backoff: (attempt: number) => number) => {
  const ra = headers.get("retry-after");
  if (ra) {
    const secs = Number(ra);
    if (Number.isFinite(secs)) return secs * 1000;
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return backoff(attempt);
};
