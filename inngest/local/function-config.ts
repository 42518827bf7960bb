/**
 * Pure reads of a synced function config against an event: which functions an
 * event triggers, how many attempts a run gets, which tenant it belongs to.
 * Flow-control keys (concurrency, throttle, idempotency) are in flow-control.ts.
 */
import { matches } from "./expression";
import type { FunctionConfig, StoredEvent } from "./types";

/** Attempts = retries + 1; `defaultRetries` applies when the config carries none. */
export const maxAttemptsOf = (cfg: FunctionConfig, defaultRetries: number) => (cfg.steps?.step?.retries?.attempts ?? defaultRetries) + 1;

/** Event triggers by exact name or a `prefix/*` wildcard, then the trigger's `expression`. */
export const triggerMatches = (cfg: FunctionConfig, event: StoredEvent) =>
  (cfg.triggers ?? []).some((t) => {
    if (!t.event) return false;
    const nameOk = t.event.endsWith("*") ? event.name.startsWith(t.event.slice(0, -1)) : t.event === event.name;
    return nameOk && matches(t.expression, { event });
  });

/** Runs and dead letters are attributed to `event.data.tenantId` when it is a string. */
export const tenantOf = (event: StoredEvent) => {
  const t = event.data?.tenantId;
  return typeof t === "string" ? t : null;
};
