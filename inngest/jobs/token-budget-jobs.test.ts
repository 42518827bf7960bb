/**
 * The monthly token budget in the background jobs, end to end as in
 * run-task.test.ts and run-meeting.test.ts: the real functions served over HTTP,
 * driven by the local executor on the test database, with a real
 * OpenAI-protocol server (18 tokens per answer) whose request log shows which
 * model calls were started. A run that meets a spent budget stops for good with
 * tokenBudgetExhausted (no retries), keeps what it did, and can be retried or
 * resumed once a platform admin raises the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, tenantCtxOf, TEST_META, uid } from "../../prisma/factories";
import { startMockOpenAI, type MockOpenAI } from "../../tests/support/mock-openai-server";
import { runOf, startApp, startExecutor } from "../local/testing/harness";
import { runMeeting } from "./run-meeting";
import { runTask } from "./run-task";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { setTokenBudget } from "~/server/services/budgets/set-budget";
import { createMeeting, getMeeting, resumeMeeting } from "~/server/services/meetings/meetings";
import { createCredential } from "~/server/services/providers/credentials";
import { createTask } from "~/server/services/tasks/create-task";
import { getTask, retryTask } from "~/server/services/tasks/tasks";

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI({ reply: "1. Review the contracts\n2. Cut idle capacity", usage: { prompt_tokens: 11, completion_tokens: 7 } });
  app = await startApp(inngest, [runTask, runMeeting]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
  await mock?.close();
});

/** A workspace whose personas answer through the mock, with a platform admin to set its budget. */
const workspace = async () => {
  const f = await createTenantWithMembers();
  const key = `sk-budget-${uid(8)}`;
  await createCredential(tenantCtxOf(f.tenant, f.owner, "OWNER"), { provider: "openai-compatible", label: "Mock", apiKey: key, baseUrl: mock.url, defaultModel: "mock-model" }, { allowPrivateAddresses: true });
  const admin = await createUser({ isPlatformAdmin: true });
  return {
    ...f,
    ctx: tenantCtxOf(f.tenant, f.member, "MEMBER"),
    budget: (monthlyTokens: number | null) => setTokenBudget({ tenantId: f.tenant.id, monthlyTokens, reason: "Job budget test" }, { adminUserId: admin.id, meta: TEST_META }),
    /** Model calls this workspace's key made (the mock sees the key as the bearer token). */
    modelCalls: () => mock.requests.filter((r) => r.path === "/v1/chat/completions" && r.headers.authorization === `Bearer ${key}`).length,
    used: async () => (await db.tenantTokenUsage.findFirst({ where: { tenantId: f.tenant.id }, select: { tokens: true } }))?.tokens ?? 0,
  };
};

const until = async <T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};
const runsOf = (functionId: string, path: string, id: string) => db.inngestRun.findMany({ where: { functionId, event: { path: ["data", path], equals: id } }, orderBy: { createdAt: "asc" } });

describe("run-task against the monthly token budget", () => {
  it("stops at the first model call past the budget with tokenBudgetExhausted, no retries, and is retried after the budget is raised", async () => {
    const w = await workspace();
    // One answer's worth: the plan uses it all, so the draft must not start.
    await w.budget(18);
    const { id } = await createTask(w.ctx, { personaKey: "cfo", title: "Cut hosting costs", description: "Find a fifth of the hosting bill to cut." });
    const run = await exec.executor.waitForRun((await runOf(db, "", "ocsuite-tasks-run-task", 10_000, { path: ["data", "taskId"], equals: id })).id);
    expect(run).toMatchObject({ status: "FAILED" });
    // Permanent: the failing step was not retried.
    expect(run.attempts).toBe(1);

    // onFailure (its own run) marks the task.
    await until(() => db.task.findFirst({ where: { id, status: "failed" } }));
    const failed = await getTask(w.ctx, { id });
    expect(failed.task).toMatchObject({ status: "failed", errorReason: "tokenBudgetExhausted", revision: 1 });
    expect(failed.steps.map((s) => [s.name, s.status, s.output === "tokenBudgetExhausted"])).toEqual([
      ["plan", "complete", false],
      ["research", "complete", false],
      ["draft", "failed", true],
    ]);
    expect(w.modelCalls()).toBe(1);
    expect(await w.used()).toBe(18);

    // Still spent: a retry is refused at once instead of queuing a run that would stop again.
    await expect(retryTask(w.ctx, { id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "tokenBudgetExhausted" });
    expect((await getTask(w.ctx, { id })).task).toMatchObject({ status: "failed", revision: 1 });

    await w.budget(10_000);
    expect(await retryTask(w.ctx, { id })).toMatchObject({ status: "queued", revision: 2, errorReason: null });
    const runs = await runsOf("ocsuite-tasks-run-task", "taskId", id);
    expect(runs).toHaveLength(2);
    expect(await exec.executor.waitForRun(runs[1]!.id)).toMatchObject({ status: "COMPLETED", output: { status: "needs_review", revision: 2 } });
    const done = await getTask(w.ctx, { id });
    expect(done.task.status).toBe("needs_review");
    // The failed revision's steps stay as its history.
    expect(done.steps.filter((s) => s.revision === 2).map((s) => [s.name, s.status])).toEqual([
      ["plan", "complete"],
      ["research", "complete"],
      ["draft", "complete"],
      ["review", "complete"],
    ]);
    expect(done.steps.filter((s) => s.revision === 1)).toHaveLength(3);
    expect(w.modelCalls()).toBe(4);
    expect(await w.used()).toBe(18 * 4);
  });

  it("retry is only for failed tasks", async () => {
    const w = await workspace();
    const task = await db.task.create({ data: { tenantId: w.tenant.id, createdById: w.member.id, personaKey: "cfo", title: "In review", description: "Waiting.", status: "needs_review" } });
    await expect(retryTask(w.ctx, { id: task.id })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotRetryable" });
    await expect(retryTask(tenantCtxOf(w.tenant, w.viewer, "VIEWER"), { id: task.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("run-meeting against the monthly token budget", () => {
  it("stops before the turn past the budget, keeps the stored turns, and resumes without repeating them once the budget is raised", async () => {
    const w = await workspace();
    await w.budget(18);
    const { id } = await createMeeting(w.ctx, { title: "Budget review", goal: "Decide the cuts.", agenda: ["Hosting"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1 });
    const first = await exec.executor.waitForRun((await runOf(db, "", "ocsuite-run-meeting", 10_000, { path: ["data", "meetingId"], equals: id })).id, undefined, 60_000);
    expect(first).toMatchObject({ status: "FAILED" });
    expect(first.attempts).toBe(1);
    await until(() => db.meeting.findFirst({ where: { id, status: "failed" } }));
    const stopped = await getMeeting(w.ctx, { id });
    expect(stopped.meeting).toMatchObject({ status: "failed", errorReason: "tokenBudgetExhausted" });
    expect(stopped.turns.map((t) => t.personaKey)).toEqual(["ceo"]);
    expect(w.modelCalls()).toBe(1);

    await expect(resumeMeeting(w.ctx, { id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "tokenBudgetExhausted" });
    expect((await getMeeting(w.ctx, { id })).meeting.status).toBe("failed");

    await w.budget(10_000);
    await resumeMeeting(w.ctx, { id });
    const runs = await runsOf("ocsuite-run-meeting", "meetingId", id);
    expect(await exec.executor.waitForRun(runs.at(-1)!.id, undefined, 60_000)).toMatchObject({ status: "COMPLETED", output: { status: "completed", turns: 1 } });
    const done = await getMeeting(w.ctx, { id });
    expect(done.meeting.status).toBe("completed");
    expect(done.turns.map((t) => t.personaKey)).toEqual(["ceo", "cfo"]);
    // The cfo's turn and the chair's close: two more calls, none repeated.
    expect(w.modelCalls()).toBe(3);
  });
});
