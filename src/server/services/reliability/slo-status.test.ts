import { describe, expect, it } from "vitest";
import { createTenant, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { errorBudgetRemaining, sloState } from "./slo-math";
import { getSloStatus } from "./slo-status";
import { loadSloSpec, parseSloSpec } from "./slo-spec";
import { ago, at, chatOf, run, times } from "./test-rows";

// Each test looks at its own window far in the past, so rows other test files
// write "now" never fall into it and the counts are exact.

describe("the SLO spec", () => {
  it("reads ops/slo/slos.yaml: the six objectives and thresholds Prometheus alerts on, over 28 days", async () => {
    const spec = await loadSloSpec();
    expect(spec.window).toBe("28d");
    expect(spec.windowMs).toBe(28 * 86_400_000);
    expect(spec.slos.map((s) => [s.name, s.objective, s.thresholdSeconds])).toEqual([
      ["chat-ttft", 0.99, 2.5],
      ["chat-success", 0.995, null],
      ["api-availability", 0.999, null],
      ["api-latency", 0.99, 1],
      ["job-success", 0.99, null],
      ["queue-wait", 0.99, 30],
    ]);
  });

  it("refuses a spec the generator would not accept either", () => {
    expect(() => parseSloSpec("version: 1\nwindow: 4 weeks\nslos: []\n")).toThrow();
    expect(() => parseSloSpec("version: 1\nwindow: 28d\nslos:\n  - name: x\n    title: X\n    objective: 1.5\n")).toThrow();
  });
});

describe("error budget arithmetic", () => {
  it("is 1 with nothing bad, 0 at exactly the allowance, negative past it, null without events", () => {
    expect(errorBudgetRemaining(1000, 1000, 0.99)).toBe(1);
    expect(errorBudgetRemaining(990, 1000, 0.99)).toBeCloseTo(0, 10);
    expect(errorBudgetRemaining(995, 1000, 0.99)).toBeCloseTo(0.5, 10);
    expect(errorBudgetRemaining(980, 1000, 0.99)).toBeCloseTo(-1, 10);
    expect(errorBudgetRemaining(0, 0, 0.99)).toBeNull();
    expect([sloState(0.9), sloState(0.1), sloState(-0.01), sloState(null)]).toEqual(["ok", "atRisk", "breached", "noData"]);
  });
});

describe("getSloStatus from the database", () => {
  // Each test seeds its own window.
  const seed = async (now: Date) => {
    const inWindow = (minutesAgo: number) => ago(now, minutesAgo * 60_000);
    const [a, b, c] = await Promise.all([createTenant(), createTenant(), createTenant()]);
    const fn = `rel-slo-${uid()}`;
    const msgA = await chatOf(a.id);
    const msgB = await chatOf(b.id);
    await db.message.createMany({
      data: [
        ...times(90, (i) => msgA(inWindow(100 + i), "complete", 1000)),
        // Exactly at the threshold is within it.
        ...times(9, (i) => msgA(inWindow(300 + i), "stopped", 2500)),
        msgA(inWindow(400), "complete", 4000),
        msgA(inWindow(401), "failed", null, "providerUnavailable"),
        // Still streaming: its first token counts, its outcome is not known yet.
        msgA(inWindow(402), "streaming", 800),
        // The user's own messages and answers outside the window do not count.
        msgA(inWindow(403), "complete", null, null, "user"),
        msgA(ago(now, 29 * 86_400_000), "failed", 9000, "providerTimeout"),
        msgA(now, "failed", 9000, "providerTimeout"),
        ...times(20, (i) => msgB(inWindow(500 + i), "complete", 100)),
      ],
    });
    await db.inngestRun.createMany({
      data: [
        ...times(98, (i) => run({ functionId: fn, tenantId: a.id, status: "COMPLETED", createdAt: inWindow(600 + i), waitMs: 1000 })),
        run({ functionId: fn, tenantId: a.id, status: "FAILED", createdAt: inWindow(700), waitMs: 40_000 }),
        // Cancelled before it started: neither a success nor a failure, and it never waited for a slot.
        run({ functionId: fn, tenantId: a.id, status: "CANCELLED", createdAt: inWindow(701), waitMs: null }),
        // Waiting 60 s: already past 30 s, so bad; waiting 10 s: not decided yet.
        run({ functionId: fn, tenantId: a.id, status: "QUEUED", createdAt: ago(now, 60_000), waitMs: null }),
        run({ functionId: fn, tenantId: a.id, status: "QUEUED", createdAt: ago(now, 10_000), waitMs: null }),
        ...times(10, (i) => run({ functionId: fn, tenantId: b.id, status: "COMPLETED", createdAt: inWindow(800 + i), waitMs: 1000 })),
      ],
    });
    return { a, b, c };
  };

  const byName = (r: Awaited<ReturnType<typeof getSloStatus>>) => Object.fromEntries(r.slos.map((s) => [s.name, s]));

  it("counts good and bad events over the window and computes the budget left, for every tenant", async () => {
    const now = at("2002-03-29T00:00:00.000Z");
    await seed(now);
    const r = await getSloStatus({ now });
    expect(r.window).toBe("28d");
    expect(r.windowStart.toISOString()).toBe("2002-03-01T00:00:00.000Z");
    const s = byName(r);
    expect(r.slos.map((x) => x.name)).toEqual(["chat-ttft", "chat-success", "api-availability", "api-latency", "job-success", "queue-wait"]);
    // chat-ttft: 101 measured (A: 90 + 9 + 1 + 1 streaming, B: 20 → 121), 1 over 2.5 s.
    expect(s["chat-ttft"]).toMatchObject({ source: "database", good: 120, total: 121, bad: 1, state: "atRisk" });
    expect(s["chat-ttft"]!.budgetRemaining).toBeCloseTo(1 - 1 / (121 * 0.01), 10);
    // chat-success: 121 ended turns (the streaming one excluded), 1 failed; 99.5 % allows 0.605.
    expect(s["chat-success"]).toMatchObject({ good: 120, total: 121, bad: 1, state: "breached" });
    expect(s["chat-success"]!.budgetRemaining).toBeCloseTo(1 - 1 / (121 * 0.005), 10);
    // job-success: 98 + 10 completed, 1 failed; the cancelled and queued runs are not finished.
    expect(s["job-success"]).toMatchObject({ good: 108, total: 109, bad: 1, state: "atRisk" });
    expect(s["job-success"]!.budgetRemaining).toBeCloseTo(1 - 1 / (109 * 0.01), 10);
    // queue-wait: 109 started + 1 overdue = 110; the 40 s start and the overdue run are bad.
    expect(s["queue-wait"]).toMatchObject({ good: 108, total: 110, bad: 2, state: "breached" });
    expect(s["queue-wait"]!.ratio).toBeCloseTo(108 / 110, 10);
    // The API SLOs are per HTTP request: this process's own counters, labelled with when they started (never the database).
    for (const name of ["api-availability", "api-latency"]) {
      expect(s[name]!.source).toBe("process");
      expect(s[name]!.since).toBeInstanceOf(Date);
    }
  });

  it("narrows to one tenant: its own counts only, without the per-process SLOs", async () => {
    const now = at("2002-06-29T00:00:00.000Z");
    const { a, b, c } = await seed(now);
    const sa = byName(await getSloStatus({ now, tenantId: a.id }));
    expect(Object.keys(sa)).toEqual(["chat-ttft", "chat-success", "job-success", "queue-wait"]);
    expect(sa["chat-ttft"]).toMatchObject({ good: 100, total: 101 });
    expect(sa["chat-success"]).toMatchObject({ good: 100, total: 101 });
    expect(sa["job-success"]).toMatchObject({ good: 98, total: 99, state: "breached" });
    expect(sa["queue-wait"]).toMatchObject({ good: 98, total: 100, state: "breached" });
    expect(sa["queue-wait"]!.budgetRemaining).toBeCloseTo(1 - 2 / (100 * 0.01), 10);

    const sb = byName(await getSloStatus({ now, tenantId: b.id }));
    expect(sb["chat-ttft"]).toMatchObject({ good: 20, total: 20, budgetRemaining: 1, state: "ok" });
    expect(sb["job-success"]).toMatchObject({ good: 10, total: 10, budgetRemaining: 1, state: "ok" });

    const sc = byName(await getSloStatus({ now, tenantId: c.id }));
    for (const x of Object.values(sc)) expect(x).toMatchObject({ good: 0, total: 0, ratio: null, budgetRemaining: null, state: "noData" });
  });
});
