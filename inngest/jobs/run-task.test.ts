/**
 * The run-task function end to end: served over HTTP by inngest/node and driven
 * by the local executor (inngest/local) on the test database, with tasks created
 * and acted on through the real service (events sent through the app's client).
 * Models: the built-in offline model, and a real local server speaking the
 * OpenAI protocol (tests/support/mock-openai-server.ts), optionally behind a
 * local proxy that fails the draft step's requests. Also through @inngest/test.
 */
import { createServer } from "node:http";
import { InngestTestEngine } from "@inngest/test";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../prisma/factories";
import { listenLocal, readBody } from "../../tests/support/mock-http";
import { startMockOpenAI, type MockOpenAI } from "../../tests/support/mock-openai-server";
import { runOf, startApp, startExecutor } from "../local/testing/harness";
import { runTask } from "./run-task";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import type { TenantCtx } from "~/server/services/context";
import { createCredential } from "~/server/services/providers/credentials";
import { createTask } from "~/server/services/tasks/create-task";
import { acceptTask, cancelTask, getTask, sendBackTask } from "~/server/services/tasks/tasks";

// Spans land in memory, with W3C propagation and async context as in the app.
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const FN = "ocsuite-tasks-run-task";
const MOCK_REPLY = "# Cost review\n\n1. Cut idle capacity [1]\n2. Renegotiate contracts\n\n## Sources\n\n[1] Hosting report, p. 2";
let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI({ reply: MOCK_REPLY, usage: { prompt_tokens: 11, completion_tokens: 7 } });
  app = await startApp(inngest, [runTask]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
  await mock?.close();
});

const memberCtx = (f: TenantFixture): TenantCtx => tenantCtxOf(f.tenant, f.member, "MEMBER");

/** A tenant whose personas answer through the OpenAI-protocol server at `baseUrl`. */
const tenantWithProvider = async (baseUrl = mock.url) => {
  const f = await createTenantWithMembers();
  await createCredential(
    tenantCtxOf(f.tenant, f.owner, "OWNER"),
    { provider: "openai-compatible", label: "Mock", apiKey: `sk-mock-${uid(8)}`, baseUrl, defaultModel: "mock-model" },
    { allowPrivateAddresses: true },
  );
  return f;
};

/** A ready knowledge document with one chunk (the generated tsvector makes it searchable). */
const seedPassage = async (tenantId: string, title: string, text: string, page = 2) => {
  const id = `doc-${uid(8)}`;
  await db.document.create({
    data: {
      id,
      tenantId,
      title,
      filename: `${id}.md`,
      kind: "markdown",
      mimeType: "text/markdown",
      sizeBytes: text.length,
      sha256: uid(32),
      storageKey: `tenants/${tenantId}/documents/${id}/original`,
      status: "ready",
      indexVersion: 1,
      chunkCount: 1,
    },
  });
  await db.documentChunk.create({ data: { tenantId, documentId: id, ordinal: 0, text, page, charStart: 0, charEnd: text.length } });
  return id;
};

const runFor = (taskId: string) => runOf(db, "", FN, 10_000, { path: ["data", "taskId"], equals: taskId });
const until = async <T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};
const taskIn = (id: string, status: string, revision?: number) =>
  until(() => db.task.findFirst({ where: { id, status, ...(revision ? { revision } : {}) } }));
const stepsOf = (taskId: string, revision?: number) =>
  db.taskStep.findMany({ where: { taskId, ...(revision ? { revision } : {}) }, orderBy: { startedAt: "asc" } });
/** Bodies of the chat requests the mock received, as text. */
const promptsSince = (from: number) => mock.requests.slice(from).filter((r) => r.path === "/v1/chat/completions").map((r) => JSON.stringify(r.body));

describe("run-task on the offline model", () => {
  it("a suspended workspace's task stops at once with tenantSuspended (no retries, no steps run)", async () => {
    const f = await createTenantWithMembers();
    await db.tenant.update({ where: { id: f.tenant.id }, data: { status: "SUSPENDED" } });
    // Created while active would be the usual case; the service refuses suspended tenants, so write the row directly.
    const task = await db.task.create({ data: { tenantId: f.tenant.id, createdById: f.member.id, personaKey: "cfo", title: "Suspended", description: "Should never run." } });
    await inngest.send({ name: "task/run.requested", data: { tenantId: f.tenant.id, taskId: task.id, revision: 1 } });
    const failed = await taskIn(task.id, "failed");
    expect(failed).toMatchObject({ status: "failed", errorReason: "tenantSuspended" });
    expect(await db.taskStep.count({ where: { taskId: task.id } })).toBe(0);
  });

  it("plans, researches, drafts and reviews: four timed steps, a Markdown deliverable citing the documents, needs_review", async () => {
    const f = await createTenantWithMembers();
    await seedPassage(f.tenant.id, "Hosting report", "Cloud hosting costs rose 40 percent last year because idle capacity was never switched off.");
    const { id } = await createTask(memberCtx(f), { personaKey: "cfo", title: "Reduce cloud hosting costs", description: "Find where our cloud hosting costs can be cut by a fifth." });
    const run = await exec.executor.waitForRun((await runFor(id)).id);
    expect(run).toMatchObject({ status: "COMPLETED", output: { status: "needs_review", revision: 1, passages: 1 } });

    const task = await db.task.findUniqueOrThrow({ where: { id } });
    expect(task).toMatchObject({ status: "needs_review", revision: 1, errorReason: null, finishedAt: null });
    expect(task.startedAt).toBeInstanceOf(Date);
    expect(task.deliverable).toMatch(/^# /);
    expect(task.deliverable).toContain("[1]");
    expect(task.deliverable).toMatch(/Sources[\s\S]*\[1\] Hosting report, p\. 2/);

    const steps = await stepsOf(id);
    expect(steps.map((s) => [s.name, s.status, s.revision])).toEqual([
      ["plan", "complete", 1],
      ["research", "complete", 1],
      ["draft", "complete", 1],
      ["review", "complete", 1],
    ]);
    for (const s of steps) {
      expect(s.tenantId).toBe(f.tenant.id);
      expect(s.finishedAt!.getTime()).toBeGreaterThanOrEqual(s.startedAt.getTime());
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
      expect(s.output).toBeTruthy();
    }
    // In order, one after the other.
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(steps[i - 1]!.finishedAt!.getTime());
    expect(steps[1]!.output).toBe("[1] Hosting report, p. 2");
    // The step state Inngest keeps (the local executor's table) holds the plan, passages and draft sealed (ADR 0015).
    const state = await db.$queryRaw<{ data: string | null }[]>`SELECT data::text AS data FROM "InngestStep" WHERE "runId" = ${run.id} AND name IN ('plan', 'research', 'draft', 'review')`;
    expect(state.length).toBeGreaterThanOrEqual(4);
    for (const { data } of state) {
      expect(data).toContain(`occ1.${f.tenant.id}.`);
      expect(data).not.toMatch(/hosting|idle capacity/i);
    }
    // Tokens: the three model steps' (offline usage = word counts), summed on the task.
    const llm = steps.filter((s) => s.name !== "research");
    expect(llm.every((s) => (s.inputTokens ?? 0) > 0 && (s.outputTokens ?? 0) > 0)).toBe(true);
    expect(task.inputTokens).toBe(llm.reduce((n, s) => n + s.inputTokens!, 0));
    expect(task.outputTokens).toBe(llm.reduce((n, s) => n + s.outputTokens!, 0));
    expect(steps[1]).toMatchObject({ inputTokens: 0, outputTokens: 0 });

    // What the user sees.
    const detail = await getTask(memberCtx(f), { id });
    expect(detail.steps.map((s) => s.name)).toEqual(["plan", "research", "draft", "review"]);
    expect(detail.queuePosition).toBeNull();
  });

  it("one trace from the request that created the task to its last step", async () => {
    const f = await createTenantWithMembers();
    const tracer = trace.getTracer("test");
    const request = tracer.startSpan("POST /api/trpc/task.create");
    const { id } = await context.with(trace.setSpan(context.active(), request), () =>
      createTask(memberCtx(f), { personaKey: "coo", title: "Document the onboarding process", description: "Write down how a new hire is onboarded." }),
    );
    request.end();
    const event = await db.inngestEvent.findFirstOrThrow({ where: { name: "task/run.requested", payload: { path: ["data", "taskId"], equals: id } } });
    expect((event.payload as { data: { traceparent?: string } }).data.traceparent).toContain(request.spanContext().traceId);
    await exec.executor.waitForRun((await runFor(id)).id);
    const review = await until(async () => spans.getFinishedSpans().find((s) => s.name === "task.step review" && s.attributes["ocsuite.task.id"] === id));
    expect(review.spanContext().traceId).toBe(request.spanContext().traceId);
    const stepSpans = spans.getFinishedSpans().filter((s) => s.name.startsWith("task.step ") && s.attributes["ocsuite.task.id"] === id);
    expect(stepSpans.map((s) => s.name).sort()).toEqual(["task.step draft", "task.step plan", "task.step research", "task.step review"]);
    expect(new Set(stepSpans.map((s) => s.spanContext().traceId))).toEqual(new Set([request.spanContext().traceId]));
  });
});

describe("run-task on a provider (local OpenAI-protocol server)", () => {
  it("runs every model step through the persona's provider, model and temperature, and sums the tokens", async () => {
    mock.setBehaviour({ reply: MOCK_REPLY, timeToFirstTokenMs: 0, chunkDelayMs: 0, fail500: false });
    const f = await tenantWithProvider();
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cmo", temperature: 0.3 } });
    const from = mock.requests.length;
    const { id } = await createTask(memberCtx(f), { personaKey: "cmo", title: "Launch plan for the spring campaign", description: "Draft the launch plan.", dueDate: "2099-03-01" });
    expect((await exec.executor.waitForRun((await runFor(id)).id)).status).toBe("COMPLETED");

    const prompts = mock.requests.slice(from).filter((r) => r.path === "/v1/chat/completions");
    expect(prompts).toHaveLength(3); // plan, draft, review
    for (const r of prompts) expect(r.body).toMatchObject({ model: "mock-model", temperature: 0.3, stream: true });
    expect(JSON.stringify(prompts[0]!.body)).toContain("numbered plan");
    expect(JSON.stringify(prompts[0]!.body)).toContain("Due: 2099-03-01");
    expect(JSON.stringify(prompts[2]!.body)).toContain("<draft>");

    const task = await db.task.findUniqueOrThrow({ where: { id } });
    expect(task).toMatchObject({ status: "needs_review", inputTokens: 33, outputTokens: 21, deliverable: MOCK_REPLY });
    expect((await stepsOf(id)).map((s) => [s.name, s.inputTokens, s.outputTokens])).toEqual([
      ["plan", 11, 7],
      ["research", 0, 0],
      ["draft", 11, 7],
      ["review", 11, 7],
    ]);
  });

  it("send back with feedback runs revision 2 with the feedback and the previous deliverable in the prompts; accept ends it", async () => {
    mock.setBehaviour({ reply: MOCK_REPLY, timeToFirstTokenMs: 0, chunkDelayMs: 0, fail500: false });
    const f = await tenantWithProvider();
    const ctx = memberCtx(f);
    const { id } = await createTask(ctx, { personaKey: "cfo", title: "Budget for the new office", description: "Estimate the first-year cost of the Lisbon office." });
    await taskIn(id, "needs_review");
    const from = mock.requests.length;

    const feedback = `Add a table of monthly costs (${uid(4)})`;
    const sent = await sendBackTask(ctx, { id, feedback });
    expect(sent).toMatchObject({ status: "queued", revision: 2, feedback });
    await taskIn(id, "needs_review", 2);

    const prompts = promptsSince(from);
    expect(prompts).toHaveLength(3);
    for (const p of prompts) expect(p).toContain(feedback);
    expect(prompts[0]).toContain("revision 2");
    expect(prompts[0]).toContain("<previous-deliverable>");
    expect(prompts[0]).toContain("Cut idle capacity");

    const steps = await stepsOf(id);
    expect(steps.map((s) => `${s.revision}:${s.name}:${s.status}`).sort()).toEqual(
      ["1:draft:complete", "1:plan:complete", "1:research:complete", "1:review:complete", "2:draft:complete", "2:plan:complete", "2:research:complete", "2:review:complete"].sort(),
    );
    expect((await db.task.findUniqueOrThrow({ where: { id } })).inputTokens).toBe(66);

    const accepted = await acceptTask(ctx, { id });
    expect(accepted).toMatchObject({ status: "done", revision: 2 });
    expect(accepted.finishedAt).toBeInstanceOf(Date);
  });

  it("cancel while a step runs: the run is cancelled, the step ends cancelled and no further step runs", async () => {
    mock.setBehaviour({ reply: MOCK_REPLY, timeToFirstTokenMs: 3_000, chunkDelayMs: 0, fail500: false });
    try {
      const f = await tenantWithProvider();
      const { id } = await createTask(memberCtx(f), { personaKey: "cto", title: "Plan the database upgrade", description: "Plan the move to the next major version." });
      await until(() => db.taskStep.findFirst({ where: { taskId: id, name: "plan", status: "running" } }));
      expect((await db.task.findUniqueOrThrow({ where: { id } })).status).toBe("running");

      const cancelled = await cancelTask(memberCtx(f), { id });
      expect(cancelled.status).toBe("cancelled");
      const run = await exec.executor.waitForRun((await runFor(id)).id);
      expect(run.status).toBe("CANCELLED");
      // Give the engine and the in-flight step time to do anything they still would.
      await new Promise((r) => setTimeout(r, 3_500));
      const task = await db.task.findUniqueOrThrow({ where: { id } });
      expect(task).toMatchObject({ status: "cancelled", deliverable: null });
      expect(task.finishedAt).toBeInstanceOf(Date);
      expect((await stepsOf(id)).map((s) => [s.name, s.status])).toEqual([["plan", "cancelled"]]);
      expect(await db.inngestEvent.count({ where: { name: "task/cancel.requested", payload: { path: ["data", "taskId"], equals: id } } })).toBe(1);
    } finally {
      mock.setBehaviour({ timeToFirstTokenMs: 0 });
    }
  });

  it("a step that keeps failing is retried (2 retries), then the task is failed with the reason and the completed steps are kept", async () => {
    mock.setBehaviour({ reply: MOCK_REPLY, timeToFirstTokenMs: 0, chunkDelayMs: 0, fail500: false });
    // A local proxy in front of the mock that answers the draft step's requests with 500.
    const proxy = await listenLocal(
      createServer((req, res) => {
        void (async () => {
          const body = await readBody(req);
          if (body.includes("Write the deliverable")) {
            res.writeHead(500, { "content-type": "application/json" });
            res.end(JSON.stringify({ error: { message: "The server had an error", type: "server_error" } }));
            return;
          }
          const upstream = await fetch(`${mock.url}${(req.url ?? "").replace(/^\/v1/, "")}`, { method: req.method, headers: { "content-type": "application/json" }, body: body || undefined });
          res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })();
      }),
    );
    try {
      const f = await tenantWithProvider(`${proxy.origin}/v1`);
      const { id } = await createTask(memberCtx(f), { personaKey: "chro", title: "Hiring plan", description: "Plan next quarter's hiring." });
      const run = await exec.executor.waitForRun((await runFor(id)).id, undefined, 60_000);
      expect(run).toMatchObject({ status: "FAILED", attempts: 3 });
      const task = await taskIn(id, "failed");
      expect(task).toMatchObject({ errorReason: "providerUnavailable", deliverable: null });
      expect(task.finishedAt).toBeInstanceOf(Date);
      expect((await stepsOf(id)).map((s) => [s.name, s.status, s.output?.slice(0, 19)])).toEqual([
        ["plan", "complete", MOCK_REPLY.slice(0, 19)],
        ["research", "complete", "No relevant passage"],
        ["draft", "failed", "providerUnavailable"],
      ]);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it("fair share: a tenant's backlog of 8 tasks does not hold back another tenant's task", async () => {
    mock.setBehaviour({ reply: MOCK_REPLY, timeToFirstTokenMs: 40, chunkDelayMs: 0, fail500: false });
    const [a, b] = await Promise.all([tenantWithProvider(), tenantWithProvider()]);
    const aIds: string[] = [];
    for (let i = 0; i < 8; i++) aIds.push((await createTask(memberCtx(a), { personaKey: "ceo", title: `A task ${i + 1}`, description: "Summarise the quarter." })).id);
    const { id: bId } = await createTask(memberCtx(b), { personaKey: "ceo", title: "B task", description: "Summarise the quarter." });

    const reviewDone = async (id: string) => (await until(() => db.taskStep.findFirst({ where: { taskId: id, name: "review", status: "complete" } }), 60_000)).finishedAt!.getTime();
    const bDone = await reviewDone(bId);
    const aDone = await Promise.all(aIds.map(reviewDone));
    expect(bDone).toBeLessThan(Math.max(...aDone));
    // Concurrency 1 per tenant (Inngest counts executing steps): no two of A's steps ever ran at once.
    const aSteps = await db.taskStep.findMany({ where: { taskId: { in: aIds } }, orderBy: { startedAt: "asc" } });
    expect(aSteps).toHaveLength(32);
    for (let i = 1; i < aSteps.length; i++) expect(aSteps[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(aSteps[i - 1]!.finishedAt!.getTime());
  }, 90_000);

  it("is configured for fair share, throttling, cancellation and 2 retries", () => {
    const config = JSON.stringify(exec.executor.functions().find((f) => f.id === FN));
    expect(config).toContain('"concurrency":[{"key":"event.data.tenantId","limit":1},{"limit":4}]');
    expect(config).toContain('"throttle":{"key":"event.data.tenantId","limit":20,"period":"1m","burst":10}');
    expect(config).toContain('"event":"task/cancel.requested"');
    expect(config).toContain("event.data.taskId == async.data.taskId");
    expect(config).toMatch(/"retries":\{"attempts":[23]\}/);
  });
});

describe("run-task through @inngest/test", () => {
  const engine = () => new InngestTestEngine({ function: runTask });
  const insertTask = async (tenantId: string, data: { revision?: number; status?: string } = {}) =>
    db.task.create({ data: { tenantId, personaKey: "general-counsel", title: "Review the supplier contract", description: "Flag risky clauses.", ...data } });

  it("runs the four steps in order and leaves the task in review", async () => {
    const f = await createTenantWithMembers();
    const task = await insertTask(f.tenant.id);
    const { result, ctx } = await engine().execute({ events: [{ name: "task/run.requested", data: { tenantId: f.tenant.id, taskId: task.id, revision: 1 } }] });
    expect(result).toMatchObject({ status: "needs_review", revision: 1 });
    for (const name of ["plan", "research", "draft", "review"]) expect(ctx.step.run).toHaveBeenCalledWith(name, expect.any(Function));
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "needs_review" });
    expect(await db.taskStep.count({ where: { taskId: task.id, status: "complete" } })).toBe(4);
  });

  it("ignores an event for another revision, a cancelled task or a finished one", async () => {
    const f = await createTenantWithMembers();
    const revised = await insertTask(f.tenant.id, { revision: 2 });
    const cancelled = await insertTask(f.tenant.id, { status: "cancelled" });
    const done = await insertTask(f.tenant.id, { status: "done" });
    for (const [t, revision] of [
      [revised, 1],
      [cancelled, 1],
      [done, 1],
    ] as const) {
      const { result, ctx } = await engine().execute({ events: [{ name: "task/run.requested", data: { tenantId: f.tenant.id, taskId: t.id, revision } }] });
      expect(result).toEqual({ status: "stale", step: "plan" });
      expect(ctx.step.run).not.toHaveBeenCalledWith("research", expect.any(Function));
      expect(await db.taskStep.count({ where: { taskId: t.id } })).toBe(0);
      expect((await db.task.findUniqueOrThrow({ where: { id: t.id } })).status).toBe(t.status);
    }
  });

  it("a disabled persona fails the run at once (not retried) with personaDisabled", async () => {
    const f = await createTenantWithMembers();
    const task = await insertTask(f.tenant.id);
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "general-counsel", enabled: false } });
    const { error } = await engine().execute({ events: [{ name: "task/run.requested", data: { tenantId: f.tenant.id, taskId: task.id, revision: 1 } }] });
    expect(error).toMatchObject({ name: "NonRetriableError", message: "personaDisabled" });
    expect(await db.taskStep.findFirstOrThrow({ where: { taskId: task.id } })).toMatchObject({ name: "plan", status: "failed", output: "personaDisabled" });
  });
});
