import { describe, expect, it } from "vitest";
import { createTenant, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { at, chatOf, llmCall, run, times } from "./test-rows";
import { getTenantUsage } from "./tenant-usage";

// "now" is mid-afternoon of 2004-06-30: the 30 UTC days are 2004-06-01 … 2004-06-30.
const now = at("2004-06-30T15:00:00.000Z");
const D29 = (h: number) => at(`2004-06-29T${String(h).padStart(2, "0")}:00:00.000Z`);

const seed = async () => {
  const [a, b] = await Promise.all([createTenant(), createTenant()]);
  const msgA = await chatOf(a.id);
  const msgB = await chatOf(b.id);
  await db.message.createMany({
    data: [
      ...[100, 200, 300, 400, 5000].map((ms, i) => msgA(D29(i + 1), "complete", ms)),
      msgA(D29(8), "failed", null, "providerUnavailable"),
      msgA(D29(9), "failed", null, "providerTimeout"),
      msgA(at("2004-06-30T10:00:00.000Z"), "stopped", 1000),
      // The day before the range.
      msgA(at("2004-05-31T23:59:59.000Z"), "failed", 9, "providerTimeout"),
      // Another workspace, same day: never in A's figures.
      msgB(D29(3), "complete", 99_999),
      msgB(D29(4), "failed", null, "providerAuthFailed"),
    ],
  });
  await db.inngestRun.createMany({
    data: [
      run({ functionId: "run-meeting", tenantId: a.id, status: "COMPLETED", createdAt: D29(1), waitMs: 1000 }),
      run({ functionId: "run-meeting", tenantId: a.id, status: "COMPLETED", createdAt: D29(2), waitMs: 3000 }),
      run({ functionId: "run-task", tenantId: a.id, status: "FAILED", createdAt: D29(3), waitMs: 2000 }),
      run({ functionId: "run-meeting", tenantId: b.id, status: "FAILED", createdAt: D29(3), waitMs: 100_000 }),
    ],
  });
  await db.llmCall.createMany({
    data: [
      llmCall({ tenantId: a.id, createdAt: D29(1), personaKey: "cfo", model: "m1", inputTokens: 100, outputTokens: 20 }),
      llmCall({ tenantId: a.id, createdAt: D29(2), personaKey: "ceo", model: "m2", inputTokens: 10, outputTokens: null }),
      llmCall({ tenantId: a.id, createdAt: at("2004-06-30T01:00:00.000Z"), personaKey: null, model: "m1", inputTokens: 5, outputTokens: 0 }),
      llmCall({ tenantId: b.id, createdAt: D29(1), personaKey: "cfo", model: "m1", inputTokens: 99_999, outputTokens: 0 }),
    ],
  });
  // A's own name for its CEO persona.
  await db.tenantPersona.create({ data: { tenantId: a.id, key: "ceo", name: "The Boss" } });
  return { a, b };
};

describe("getTenantUsage", () => {
  it("per UTC day over 30 days: chat TTFT p50/p95 and failures by reason, runs and queue wait, tokens by persona and model — this tenant's only", async () => {
    const { a } = await seed();
    const u = await getTenantUsage({ tenantId: a.id }, { now });
    expect([u.from, u.to, u.chat.length, u.jobs.length]).toEqual(["2004-06-01", "2004-06-30", 30, 30]);

    const day29 = u.chat.find((d) => d.day === "2004-06-29");
    // 5 answers with a first token (100 … 5000 ms) and 2 failures; percentile_cont: p50 300, p95 400 + 0.8 × 4600.
    expect(day29).toEqual({ day: "2004-06-29", turns: 7, failed: 2, ttftP50Ms: 300, ttftP95Ms: 4080 });
    expect(u.chat.find((d) => d.day === "2004-06-30")).toEqual({ day: "2004-06-30", turns: 1, failed: 0, ttftP50Ms: 1000, ttftP95Ms: 1000 });
    expect(u.chat.find((d) => d.day === "2004-06-01")).toEqual({ day: "2004-06-01", turns: 0, failed: 0, ttftP50Ms: null, ttftP95Ms: null });

    expect(u.chatFailures.keys).toEqual([
      { key: "providerTimeout", total: 1 },
      { key: "providerUnavailable", total: 1 },
    ]);
    expect(u.chatFailures.days.find((d) => d.day === "2004-06-29")!.values).toEqual({ providerTimeout: 1, providerUnavailable: 1 });

    expect(u.jobs.find((d) => d.day === "2004-06-29")).toEqual({ day: "2004-06-29", runs: 3, failed: 1, waitP95Ms: 2900 });
    expect(u.jobFunctions).toEqual([
      { functionId: "run-meeting", runs: 2, failed: 0, waitP95Ms: 2900 },
      { functionId: "run-task", runs: 1, failed: 1, waitP95Ms: 2000 },
    ]);

    expect(u.tokensByPersona.keys).toEqual([
      { key: "cfo", total: 120, name: "Chief Financial Officer" },
      { key: "ceo", total: 10, name: "The Boss" },
      { key: "", total: 5, name: null },
    ]);
    expect(u.tokensByPersona.days.find((d) => d.day === "2004-06-29")!.values).toEqual({ cfo: 120, ceo: 10, "": 0 });
    expect(u.tokensByModel.keys).toEqual([
      { key: "m1", total: 125 },
      { key: "m2", total: 10 },
    ]);

    expect(u.slo.slos.map((s) => [s.name, s.good, s.total])).toEqual([
      ["chat-ttft", 5, 6],
      ["chat-success", 6, 8],
      ["job-success", 2, 3],
      ["queue-wait", 3, 3],
    ]);
  });

  it("tenant B's page shows B's rows and nothing of A's", async () => {
    const { b } = await seed();
    const u = await getTenantUsage({ tenantId: b.id }, { now });
    expect(u.chat.find((d) => d.day === "2004-06-29")).toEqual({ day: "2004-06-29", turns: 2, failed: 1, ttftP50Ms: 99_999, ttftP95Ms: 99_999 });
    expect(u.chatFailures.keys).toEqual([{ key: "providerAuthFailed", total: 1 }]);
    expect(u.jobFunctions).toEqual([{ functionId: "run-meeting", runs: 1, failed: 1, waitP95Ms: 100_000 }]);
    expect(u.tokensByPersona.keys).toEqual([{ key: "cfo", total: 99_999, name: "Chief Financial Officer" }]);
    expect(u.chat.reduce((s, d) => s + d.turns, 0)).toBe(2);
  });

  it("keeps the six largest series and sums the rest as one 'other' series, last", async () => {
    const t = await createTenant();
    await db.llmCall.createMany({
      data: times(8, (i) => llmCall({ tenantId: t.id, createdAt: D29(1), personaKey: "cfo", model: `model-${uid(3)}-${8 - i}`, inputTokens: (8 - i) * 10, outputTokens: 0 })),
    });
    const u = await getTenantUsage({ tenantId: t.id }, { now });
    expect(u.tokensByModel.keys.map((k) => k.total)).toEqual([80, 70, 60, 50, 40, 30, 30]);
    expect(u.tokensByModel.keys.at(-1)!.key).toBe("__other__");
  });
});
