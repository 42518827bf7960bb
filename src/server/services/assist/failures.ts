import { isAppError } from "~/server/errors";
import { LLM_ERROR_REASONS } from "../llm/gateway-errors";

/*
 * Why persona work (a chat answer, a meeting turn, a task step) failed, and
 * whether a retry could help. One list and one rule for every job, so a
 * meeting and a task hitting the same problem behave the same way.
 */

/** The model's reasons, the persona's configuration problems, and the tenant's state. */
export const FAILURE_REASONS = [
  ...LLM_ERROR_REASONS,
  "personaDisabled",
  "personaModelMissing",
  "credentialUnusable",
  "notFound",
  "tenantSuspended",
  "tokenBudgetExhausted",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const isFailureReason = (s: unknown): s is FailureReason => typeof s === "string" && (FAILURE_REASONS as readonly string[]).includes(s);

/**
 * true = retrying the step cannot help: the job fails at once (NonRetriableError)
 * and the user (or an admin) has to change something first. A Record so a new
 * reason cannot be added without deciding.
 */
const PERMANENT: Record<FailureReason, boolean> = {
  // The gateway already retried 429 within the call; a step retry later is a
  // fresh chance once the provider's window has passed.
  providerRateLimited: false,
  // 5xx or unreachable: outages pass.
  providerUnavailable: false,
  // 401/403: the tenant's key is wrong or revoked. Only an admin editing the
  // credential fixes it; retrying only spends calls and audits more failed uses.
  providerAuthFailed: true,
  // Every other 4xx lands here, 408 Request Timeout and 409 Conflict
  // included, and OpenAI-compatible proxies answer 400 for passing overloads:
  // too broad a net to give up on the first one (2 retries are cheap).
  providerRejected: false,
  // Our total time budget ran out; the next attempt may be faster.
  providerTimeout: false,
  // The connection dropped mid-answer; the next attempt starts clean.
  streamInterrupted: false,
  // Only our own abort signal causes it (a task that moved on, handled as
  // "stale" before it gets here); a retry re-checks the work and ends quietly.
  cancelled: false,
  // Unclassified provider behaviour: assume transient.
  providerError: false,
  // The base URL points at a non-public address (SSRF guard): configuration.
  providerAddressBlocked: true,
  // Configuration the user changes in the persona settings.
  personaDisabled: true,
  personaModelMissing: true,
  // The stored key no longer decrypts: it must be re-entered.
  credentialUnusable: true,
  // The persona, task or meeting is gone: nothing to retry against.
  notFound: true,
  // Only an admin's reactivation helps; the dead letter can be replayed then.
  tenantSuspended: true,
  // The month's token budget is spent (services/budgets): a retry minutes
  // later meets the same refusal. A platform admin raising the budget, or the
  // month rolling over, lets the user resume the meeting or retry the task.
  tokenBudgetExhausted: true,
};

/** Unknown reasons (a database hiccup, a bug: "taskFailed", "meetingFailed") are retried. */
export const isPermanent = (reason: string): boolean => isFailureReason(reason) && PERMANENT[reason];

/** The stable reason an error carries (an AppError's, or a step error's), or null. */
export const reasonOf = (err: unknown): string | null => {
  if (isAppError(err)) return err.reason;
  const reason = (err as { reason?: unknown } | null)?.reason;
  return err instanceof Error && typeof reason === "string" ? reason : null;
};

/** A reason read back from a job's error message: a known one, else the caller's catch-all. */
export const failureReasonOr = <F extends string>(message: string | undefined, fallback: F): FailureReason | F => (isFailureReason(message) ? message : fallback);
