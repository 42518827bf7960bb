/**
 * Flow control: the keys a run is limited by and the decisions on them —
 * concurrency (counted over executing calls only, with fair share between
 * keys), throttle (GCRA on run starts) and idempotency (24 h per function and
 * key). The leasing transaction in queue.ts applies them under one advisory
 * lock; the pure parts here are unit-tested in flow-control.test.ts.
 */
import { parseTimeString } from "./duration";
import { evaluateKey } from "./expression";
import type { ExecutorContext, Item, Tx } from "./context";
import type { ConcurrencyConfig, FunctionConfig, RegisteredFunction, StoredEvent } from "./types";

/** One concurrency limit as stored on a queue item (`concurrency` column), key already evaluated. */
export type ConcurrencyKey = { key: string; limit: number };

const DAY_MS = 86_400_000;

export const concurrencyKeys = (fn: RegisteredFunction, event: StoredEvent): ConcurrencyKey[] => {
  const raw = fn.config.concurrency;
  if (raw === undefined || raw === null) return [];
  const list: ConcurrencyConfig[] = typeof raw === "number" ? [{ limit: raw }] : Array.isArray(raw) ? raw : [raw];
  return list
    .filter((c) => c.limit > 0)
    .map((c) => {
      const scope = c.scope ?? "fn";
      // env/account scopes share the key string across functions (approximate; see README).
      const base = scope === "fn" ? fn.config.id : scope;
      const value = c.key ? evaluateKey(c.key, { event }) : "";
      return { key: `${base}:${c.key ?? ""}:${value ?? ""}`, limit: c.limit };
    });
};

export const throttleKey = (fn: RegisteredFunction, event: StoredEvent) => {
  const t = fn.config.throttle;
  if (!t) return null;
  const value = t.key ? evaluateKey(t.key, { event }) : "";
  return `${fn.config.id}:${value ?? ""}`;
};

/**
 * Executing calls per concurrency key, seeded from the items currently leased
 * and bumped as the lease transaction takes more. Sleeping or waiting runs
 * have no leased CALL item, so they hold no slot.
 */
export const createConcurrencyCounts = (active: { concurrency: unknown }[]) => {
  const counts = new Map<string, number>();
  const limits = new Map<string, number>();
  const bump = (keys: ConcurrencyKey[]) => keys.forEach((k) => counts.set(k.key, (counts.get(k.key) ?? 0) + 1));
  for (const a of active) {
    const keys = (a.concurrency ?? []) as ConcurrencyKey[];
    keys.forEach((k) => limits.set(k.key, k.limit));
    bump(keys);
  }
  return {
    bump,
    /** True when any of the item's keys is at its limit. */
    blocks: (keys: ConcurrencyKey[]) => keys.some((k) => (counts.get(k.key) ?? 0) >= k.limit),
    /** Keys already at their limit among the executing calls (the lease query skips their items: fair share). */
    saturated: () => [...counts].filter(([key, n]) => n >= (limits.get(key) ?? Infinity)).map(([key]) => key),
  };
};

export type GcraDecision = { allowed: true; nextTat: number } | { allowed: false; allowedAt: number };

/**
 * GCRA (generic cell rate algorithm) over run starts: starts are spaced
 * period / limit apart, with `burst` of them allowed back to back. `tat` is
 * the stored theoretical arrival time (ms), null when the key is new.
 */
export const gcra = (throttle: NonNullable<FunctionConfig["throttle"]>, tat: number | null, now: number): GcraDecision => {
  const periodMs = parseTimeString(throttle.period) ?? 60_000;
  const emission = periodMs / Math.max(1, throttle.limit);
  const burst = Math.max(1, throttle.burst ?? 1);
  const base = Math.max(tat ?? 0, now);
  const allowedAt = base - (burst - 1) * emission;
  return allowedAt > now ? { allowed: false, allowedAt } : { allowed: true, nextTat: base + emission };
};

/** Returns null when the run may start now (and books the start), else the time it may. */
export const throttleCheck = async (ctx: ExecutorContext, tx: Tx, item: Item, now: Date): Promise<Date | null> => {
  const run = await tx.inngestRun.findUnique({ where: { id: item.runId } });
  const fn = run && ctx.functions.get(run.functionId);
  const t = fn?.config.throttle;
  if (!t || !item.throttleKey) return null;
  const row = await tx.inngestThrottle.findUnique({ where: { key: item.throttleKey } });
  const decision = gcra(t, row?.tat.getTime() ?? null, now.getTime());
  if (!decision.allowed) return new Date(decision.allowedAt);
  const next = new Date(decision.nextTat);
  await tx.inngestThrottle.upsert({ where: { key: item.throttleKey }, create: { key: item.throttleKey, tat: next }, update: { tat: next } });
  return null;
};

/**
 * Books the function's idempotency key for `runId`. False when a live key
 * (younger than 24 h) exists: the event must start no run. True also when the
 * key expression evaluates to nothing (no idempotency for that event).
 */
export const claimIdempotencyKey = async (tx: Tx, fn: RegisteredFunction, event: StoredEvent, runId: string) => {
  if (!fn.config.idempotency) return true;
  const value = evaluateKey(fn.config.idempotency, { event });
  if (value === null) return true;
  const key = `${fn.config.id}:${value}`;
  const now = new Date();
  const existing = await tx.inngestIdempotencyKey.findUnique({ where: { key } });
  if (existing && existing.expiresAt > now) return false;
  await tx.inngestIdempotencyKey.upsert({
    where: { key },
    create: { key, runId, expiresAt: new Date(now.getTime() + DAY_MS) },
    update: { runId, expiresAt: new Date(now.getTime() + DAY_MS) },
  });
  return true;
};
