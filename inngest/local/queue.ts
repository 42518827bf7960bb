/**
 * The queue: adding CALL items and leasing due items. Leasing is one
 * transaction under a Postgres advisory lock, so concurrency counts and
 * throttle decisions (flow-control.ts) see every other lease. A lease expires
 * after `leaseMs` unless renewed (process-item.ts renews it while the call is
 * in flight), which is how a crashed executor's work is picked up again.
 * The scheduler (scheduler.ts) polls this; there is no LISTEN/NOTIFY. A run's
 * next call after a settled step skips the lease query altogether: it is
 * created already leased by the executor that settled the step (a
 * continuation, settle.ts), which keeps the run's concurrency slot.
 */
import { createConcurrencyCounts, throttleCheck, type ConcurrencyKey } from "./flow-control";
import { json, newId } from "./values";
import type { ExecutorContext, Item, Tx } from "./context";

const LEASE_LOCK_ID = 727_001;

type CallItem = {
  runId: string;
  stepId: string;
  concurrency: unknown;
  attempt?: number;
  availableAt?: Date;
  throttleKey?: string | null;
};

/**
 * Queues a call request (stepId "step" = discovery); available now unless `availableAt` says
 * otherwise. With `leasedBy` the item is created already leased (a continuation).
 */
export const enqueueCall = (tx: Tx, { concurrency, ...item }: CallItem, leasedBy?: { owner: string; leaseMs: number }) =>
  tx.inngestQueueItem.create({
    data: {
      id: newId(),
      kind: "CALL",
      availableAt: new Date(),
      ...item,
      concurrency: json(concurrency),
      ...(leasedBy ? { leaseOwner: leasedBy.owner, leaseUntil: new Date(Date.now() + leasedBy.leaseMs) } : {}),
    },
  });

/** Leases up to `capacity` due items (CALL and SLEEP) for `ctx.owner`, honouring concurrency and throttle. */
export const lease = async (ctx: ExecutorContext, capacity: number): Promise<Item[]> => {
  if (capacity <= 0) return [];
  return ctx.transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS ok FROM (SELECT pg_advisory_xact_lock(${LEASE_LOCK_ID})) AS l`;
    const now = new Date();
    const active = await tx.inngestQueueItem.findMany({
      where: { kind: "CALL", leaseUntil: { gte: now } },
      select: { concurrency: true },
    });
    const counts = createConcurrencyCounts(active);
    const candidates = await dueCandidates(tx, now, counts.saturated(), capacity * 4 + 32);
    const blockedThrottle = new Map<string, Date>();
    const leased: Item[] = [];
    const leaseUntil = new Date(now.getTime() + ctx.leaseMs);
    for (const c of candidates) {
      if (leased.length >= capacity) break;
      if (c.kind === "CALL") {
        const keys = (c.concurrency ?? []) as ConcurrencyKey[];
        if (counts.blocks(keys)) continue;
        if (c.throttleKey) {
          // One throttle check per key per lease: later items of a blocked key wait for the same time.
          const allowedAt = blockedThrottle.get(c.throttleKey) ?? (await throttleCheck(ctx, tx, c, now));
          if (allowedAt) {
            blockedThrottle.set(c.throttleKey, allowedAt);
            await tx.inngestQueueItem.update({ where: { id: c.id }, data: { availableAt: allowedAt } });
            continue;
          }
        }
        counts.bump(keys);
      }
      leased.push({ ...c, leaseUntil, leaseOwner: ctx.owner });
    }
    // One statement for the whole batch. The rows' throttleKey is cleared (the start is booked), so a
    // re-lease after a crash is not throttled twice. The returned copies keep it: a retry settle.ts
    // copies from one is throttled again.
    if (leased.length) {
      await tx.inngestQueueItem.updateMany({ where: { id: { in: leased.map((l) => l.id) } }, data: { leaseUntil, leaseOwner: ctx.owner, throttleKey: null } });
    }
    return leased;
  });
};

/**
 * Due, unleased items, oldest first, in a window larger than the capacity.
 * Fair share: items whose (first) concurrency key is already at its limit are
 * skipped in SQL, so one key's backlog — a tenant's burst of thousands —
 * cannot fill the window and starve every other key. Further keys are checked
 * in code by the caller.
 */
const dueCandidates = async (tx: Tx, now: Date, saturated: string[], limit: number) => {
  const ids = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "InngestQueueItem"
    WHERE "availableAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
      AND NOT (COALESCE("concurrency"->0->>'key', '') = ANY(${saturated}::text[]))
    ORDER BY "availableAt" ASC, "createdAt" ASC, "id" ASC
    LIMIT ${limit}`;
  if (!ids.length) return [];
  return tx.inngestQueueItem.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    orderBy: [{ availableAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
};
