import { describe, expect, it } from "vitest";
import { createTenant, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { getQueueHealth } from "./queue-health";
import { ago, at, llmCall, run } from "./test-rows";
import { getTopTenants } from "./top-tenants";

const HOUR = 3_600_000;

describe("getQueueHealth", () => {
  it("per function: what waits now and for how long, the last day's waits and failures, open dead letters", async () => {
    const now = at("2002-05-10T12:00:00.000Z");
    const fn = `rel-queue-${uid()}`;
    const waiting = run({ functionId: fn, tenantId: null, status: "QUEUED", createdAt: ago(now, 30_000), waitMs: null });
    await db.inngestRun.createMany({
      data: [
        run({ functionId: fn, tenantId: null, status: "COMPLETED", createdAt: ago(now, 2 * HOUR), waitMs: 1000 }),
        run({ functionId: fn, tenantId: null, status: "COMPLETED", createdAt: ago(now, 3 * HOUR), waitMs: 2000 }),
        run({ functionId: fn, tenantId: null, status: "FAILED", createdAt: ago(now, 4 * HOUR), waitMs: 3000 }),
        // Older than a day: not in the 24 h figures.
        run({ functionId: fn, tenantId: null, status: "FAILED", createdAt: ago(now, 25 * HOUR), waitMs: 99_000 }),
        waiting,
      ],
    });
    await db.inngestQueueItem.createMany({
      data: [
        { id: `q-${uid()}`, runId: waiting.id, kind: "CALL", stepId: "step", availableAt: ago(now, 30_000), createdAt: ago(now, 30_000) },
        { id: `q-${uid()}`, runId: waiting.id, kind: "CALL", stepId: "a", availableAt: ago(now, 5_000), createdAt: ago(now, 5_000) },
        // An expired lease is waiting again.
        { id: `q-${uid()}`, runId: waiting.id, kind: "CALL", stepId: "b", availableAt: ago(now, 10_000), leaseUntil: ago(now, 1_000), leaseOwner: "gone", createdAt: ago(now, 10_000) },
        { id: `q-${uid()}`, runId: waiting.id, kind: "CALL", stepId: "c", availableAt: ago(now, 1_000), leaseUntil: new Date(now.getTime() + 60_000), leaseOwner: "me", createdAt: ago(now, 1_000) },
        { id: `q-${uid()}`, runId: waiting.id, kind: "SLEEP", stepId: "d", availableAt: new Date(now.getTime() + 60_000), createdAt: ago(now, 1_000) },
      ],
    });
    const dl = (createdAt: Date, replayedAt: Date | null = null) => ({
      functionId: fn,
      runId: `rel-dl-run-${uid()}`,
      eventId: `rel-dl-evt-${uid()}`,
      eventName: "test/x",
      event: {},
      errorName: "Error",
      errorMessage: "boom",
      error: {},
      attempts: 3,
      createdAt,
      replayedAt,
    });
    await db.inngestDeadLetter.createMany({ data: [dl(ago(now, HOUR)), dl(ago(now, 2 * HOUR)), dl(ago(now, 30 * 60_000), now)] });

    const h = await getQueueHealth({ now });
    const row = h.functions.find((f) => f.functionId === fn);
    expect(row).toEqual({
      functionId: fn,
      queued: 3,
      oldestWaitSeconds: 30,
      inFlight: 1,
      delayed: 1,
      runs24h: 4,
      failed24h: 1,
      // percentile_cont over the three runs that started (1, 2, 3 s): p50 2 s, p95 2.9 s.
      waitP50Ms24h: 2000,
      waitP95Ms24h: 2900,
      openDeadLetters: 2,
      newestDeadLetterAt: ago(now, HOUR),
    });
    expect(h.totals.queued).toBeGreaterThanOrEqual(3);
    expect(h.totals.openDeadLetters).toBeGreaterThanOrEqual(2);
  });
});

describe("getTopTenants", () => {
  it("ranks tenants by tokens over the last 7 and the last 30 days", async () => {
    const now = at("2003-01-31T12:00:00.000Z");
    const [x, y] = await Promise.all([createTenant(), createTenant()]);
    const day = 86_400_000;
    await db.llmCall.createMany({
      data: [
        llmCall({ tenantId: x.id, createdAt: ago(now, 2 * day), personaKey: "cfo", model: "m", inputTokens: 100, outputTokens: 50 }),
        llmCall({ tenantId: x.id, createdAt: ago(now, 20 * day), personaKey: "cfo", model: "m", inputTokens: 1000, outputTokens: null }),
        llmCall({ tenantId: y.id, createdAt: ago(now, day), personaKey: "ceo", model: "m", inputTokens: 400, outputTokens: 100 }),
        llmCall({ tenantId: y.id, createdAt: ago(now, 40 * day), personaKey: "ceo", model: "m", inputTokens: 99_999, outputTokens: 0 }),
      ],
    });
    const top = await getTopTenants({ now });
    expect(top.last7Days).toEqual([
      { tenantId: y.id, tenantSlug: y.slug, tenantName: y.name, calls: 1, tokens: 500 },
      { tenantId: x.id, tenantSlug: x.slug, tenantName: x.name, calls: 1, tokens: 150 },
    ]);
    expect(top.last30Days).toEqual([
      { tenantId: x.id, tenantSlug: x.slug, tenantName: x.name, calls: 2, tokens: 1150 },
      { tenantId: y.id, tenantSlug: y.slug, tenantName: y.name, calls: 1, tokens: 500 },
    ]);
  });
});
