/** Shapes of the SDK HTTP contract the executor speaks (inngest/inngest docs/SDK_SPEC.md). */

export type EventPayload = {
  id?: string;
  name: string;
  data?: Record<string, unknown>;
  user?: Record<string, unknown>;
  ts?: number;
  v?: string;
};

/** An event as stored and passed to functions: id and ts always set. */
export type StoredEvent = EventPayload & { id: string; ts: number; data: Record<string, unknown> };

export type JsonError = { name: string; message: string; stack?: string; [k: string]: unknown };

/** `jitter` (a random delay after a cron tick) is accepted and ignored: ticks fire on time. */
export type Trigger = { event?: string; expression?: string; cron?: string; jitter?: string };

export type ConcurrencyConfig = { limit: number; key?: string; scope?: "fn" | "env" | "account" };

/** One function as reported by a sync (register body `functions[]`). */
export type FunctionConfig = {
  id: string;
  name?: string;
  triggers: Trigger[];
  steps: Record<string, { id: string; name: string; runtime: { type: string; url: string }; retries?: { attempts?: number } }>;
  idempotency?: string;
  concurrency?: number | ConcurrencyConfig | ConcurrencyConfig[];
  throttle?: { limit: number; period: string; burst?: number; key?: string };
  cancel?: { event: string; if?: string; timeout?: string }[];
  rateLimit?: unknown;
  debounce?: unknown;
  batchEvents?: unknown;
  priority?: unknown;
  timeouts?: unknown;
};

export type OutgoingOp = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: JsonError;
};

/** Memoized step state as sent in a call request's `steps`. */
export type StepState = { data: unknown } | { error: JsonError };

export type RegisteredFunction = { appId: string; url: string; config: FunctionConfig };
