import { APICallError } from "ai";
import { AppError, type AppErrorCode } from "~/server/errors";
import { isOutboundBlocked } from "~/server/infra/outbound-fetch";

// How a failed model call is described: a stable reason the UI translates
// (errors.<reason>), and the classification of provider errors into reasons.

export const LLM_ERROR_REASONS = [
  "providerRateLimited",
  "providerUnavailable",
  "providerAuthFailed",
  "providerRejected",
  "providerTimeout",
  "streamInterrupted",
  "cancelled",
  "providerError",
  "providerAddressBlocked",
] as const;
export type LlmErrorReason = (typeof LLM_ERROR_REASONS)[number];

const REASON_CODE: Record<LlmErrorReason, AppErrorCode> = {
  providerRateLimited: "TOO_MANY_REQUESTS",
  providerUnavailable: "SERVICE_UNAVAILABLE",
  // The tenant's provider key is wrong: a configuration problem, not the user's session.
  providerAuthFailed: "PRECONDITION_FAILED",
  providerRejected: "BAD_REQUEST",
  providerTimeout: "SERVICE_UNAVAILABLE",
  streamInterrupted: "SERVICE_UNAVAILABLE",
  cancelled: "BAD_REQUEST",
  providerError: "INTERNAL_SERVER_ERROR",
  // The base URL points at a non-public address (SSRF guard): a configuration problem.
  providerAddressBlocked: "PRECONDITION_FAILED",
};

export class LlmError extends AppError {
  declare readonly reason: LlmErrorReason;
  /** Text streamed before the failure (empty when it failed before the first token). */
  readonly partialText: string;
  /** The provider's HTTP status, when there was one. */
  readonly providerStatus?: number;
  readonly attempts: number;

  constructor(
    reason: LlmErrorReason,
    message: string,
    opts: { partialText?: string; providerStatus?: number; attempts?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(REASON_CODE[reason], reason, message, { retryAfterSeconds: opts.retryAfterSeconds, cause: opts.cause });
    this.name = "LlmError";
    this.partialText = opts.partialText ?? "";
    this.providerStatus = opts.providerStatus;
    this.attempts = opts.attempts ?? 1;
  }
}

export const isLlmError = (e: unknown): e is LlmError => e instanceof LlmError;

export type Classified = { reason: LlmErrorReason; status?: number; retryAfterMs?: number; message: string };

const retryAfterMs = (headers: Record<string, string> | undefined): number | undefined => {
  if (!headers) return undefined;
  const ms = headers["retry-after-ms"];
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const v = headers["retry-after"];
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
};

export const classify = (err: unknown): Classified => {
  if (isOutboundBlocked(err)) return { reason: "providerAddressBlocked", message: "the provider base URL points at a non-public address" };
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    const msg = `provider answered ${status ?? "without a status"}`;
    if (status === 429) return { reason: "providerRateLimited", status, retryAfterMs: retryAfterMs(err.responseHeaders), message: msg };
    if (status === 401 || status === 403) return { reason: "providerAuthFailed", status, message: msg };
    if (status !== undefined && status >= 500) return { reason: "providerUnavailable", status, retryAfterMs: retryAfterMs(err.responseHeaders), message: msg };
    if (status !== undefined && status >= 400) return { reason: "providerRejected", status, message: msg };
    return { reason: "providerUnavailable", message: `provider unreachable: ${err.message}` };
  }
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } } | undefined;
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return { reason: "cancelled", message: "aborted" };
  // fetch reports a refused or reset connection as a TypeError ("fetch failed", "terminated").
  if (e?.name === "TypeError") return { reason: "providerUnavailable", message: `connection failed: ${e.message ?? ""}` };
  return { reason: "providerError", message: e?.message ?? String(err) };
};

/** Only an HTTP 429 or 5xx answer is retried (never a network error, an auth failure or a rejected request). */
export const isRetryable = (c: Classified) => c.status !== undefined && (c.status === 429 || c.status >= 500);

