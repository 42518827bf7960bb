/**
 * One trace from a request to the model call, as a collector receives it.
 * The tracer provider is the worker's (src/server/infra/trace-sdk.ts: OTLP/HTTP
 * JSON exporter, W3C propagation, Prisma instrumentation) exporting to a real
 * local OTLP receiver (tests/support/otlp-receiver.ts). The flow is real:
 * `task.create` through the tRPC router (createCaller — the HTTP handler needs
 * Next's request scope for the session; the test opens the SERVER span Next's
 * base server opens around a route handler), which writes the task and sends
 * `task/run.requested`; the local executor (inngest/local) delivers it to the
 * real function served over HTTP by inngest/node; its steps call the persona
 * on a local server speaking the OpenAI protocol. Every assertion is on the
 * decoded OTLP payload: ids, parent links, semantic-convention attributes, the
 * tenant id — and that neither the prompt nor the answer left the process.
 */
import { context, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOf, startApp, startExecutor } from "../inngest/local/testing/harness";
import { runTask } from "../inngest/jobs/run-task";
import { createTenantWithMembers, tenantCtxOf, uid } from "../prisma/factories";
import { startMockOpenAI, type MockOpenAI } from "./support/mock-openai-server";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "./support/otlp-receiver";
import { callerFor } from "./support/trpc";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { startTracing, type Tracing } from "~/server/infra/trace-sdk";
import { createCredential } from "~/server/services/providers/credentials";

const FN = "ocsuite-tasks-run-task";
// Markers that would only appear in an attribute if content leaked onto a span.
const PROMPT_MARKER = `prompt-marker-${uid(6)}`;
const ANSWER_MARKER = `answer-marker-${uid(6)}`;
const REPLY = `# Onboarding\n\n1. Welcome pack ${ANSWER_MARKER}\n2. Buddy for the first week`;
const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

let receiver: OtlpReceiver;
let tracing: Tracing;
let mock: MockOpenAI;
let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = startTracing({ serviceName: "ocsuite-worker", tracesUrl: receiver.url });
  mock = await startMockOpenAI({ reply: REPLY, usage: { prompt_tokens: 11, completion_tokens: 7 } });
  app = await startApp(inngest, [runTask]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
  await mock?.close();
  await tracing?.shutdown();
  await receiver?.close();
});

const until = async <T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The span's ancestors, nearest first, among the received spans of its trace. */
const ancestorsOf = (span: ReceivedSpan, all: ReceivedSpan[]): ReceivedSpan[] => {
  const byId = new Map(all.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const out: ReceivedSpan[] = [];
  for (let p = span.parentSpanId && byId.get(span.parentSpanId); p; p = p.parentSpanId && byId.get(p.parentSpanId)) out.push(p);
  return out;
};

/** Creates a task over tRPC inside a SERVER span standing in for Next's; returns the ids the test follows. */
const createTaskInRequest = async () => {
  const f = await createTenantWithMembers();
  await createCredential(
    tenantCtxOf(f.tenant, f.owner, "OWNER"),
    { provider: "openai-compatible", label: "Mock", apiKey: `sk-mock-${uid(8)}`, baseUrl: mock.url, defaultModel: "mock-model" },
    { allowPrivateAddresses: true },
  );
  const http = trace.getTracer("test").startSpan("POST /api/trpc/[trpc]", {
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": "POST", "http.route": "/api/trpc/[trpc]" },
  });
  const { id } = await context.with(trace.setSpan(ROOT_CONTEXT, http), () =>
    callerFor(f.member).task.create({
      tenantSlug: f.tenant.slug,
      personaKey: "coo",
      title: `Onboarding ${PROMPT_MARKER}`,
      description: `Write down how a new hire is onboarded (${PROMPT_MARKER}).`,
    }),
  );
  http.setAttribute("http.response.status_code", 200);
  http.end();
  return { tenantId: f.tenant.id, taskId: id, traceId: http.spanContext().traceId, httpSpanId: http.spanContext().spanId };
};

describe("a request's trace, exported over OTLP/HTTP", () => {
  it("runs request → tRPC → Prisma → send → job → step → model call in one trace, with semconv attributes and no content", async () => {
    const from = mock.requests.length;
    const t = await createTaskInRequest();
    const run = await exec.executor.waitForRun((await runOf(db, "", FN, 10_000, { path: ["data", "taskId"], equals: t.taskId })).id);
    expect(run.status).toBe("COMPLETED");
    // The content really went through: the persona got the prompt and the deliverable is the answer.
    expect(mock.requests.slice(from).some((r) => JSON.stringify(r.body).includes(PROMPT_MARKER))).toBe(true);
    expect((await db.task.findUniqueOrThrow({ where: { id: t.taskId } })).deliverable).toContain(ANSWER_MARKER);

    await tracing.provider.forceFlush();
    const spans = await until(() => {
      const inTrace = receiver.spans.filter((s) => s.traceId === t.traceId);
      return inTrace.filter((s) => s.name.startsWith("chat ")).length >= 3 && inTrace;
    });
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["ocsuite-worker"]));

    // The request: Next's server span → the procedure span, with the tenant.
    const procedure = spans.find((s) => s.name === "trpc task.create")!;
    expect(procedure.parentSpanId).toBe(t.httpSpanId);
    expect(procedure.attributes).toMatchObject({ "rpc.system": "trpc", "rpc.method": "task.create", "ocsuite.tenant.id": t.tenantId });

    // Its database work: Prisma's own spans, under the procedure, with the DB semconv attributes.
    const insert = spans.find((s) => s.name === "prisma:client:operation" && s.attributes["db.collection.name"] === "Task" && s.attributes["db.operation.name"] === "create")!;
    expect(insert.parentSpanId).toBe(procedure.spanId);
    expect(insert.attributes).toMatchObject({ "db.system.name": "postgresql" });
    // (The workspace's first sealed write also inserts its content key, ADR 0015: the Task row's INSERT is the one named "Task".)
    const query = spans.find((s) => s.name === "prisma:client:db_query" && s.attributes["db.operation.name"] === "INSERT" && s.attributes["db.collection.name"] === "Task" && ancestorsOf(s, spans).includes(insert))!;
    expect(query).toMatchObject({ kind: KIND.CLIENT, attributes: { "db.system.name": "postgresql", "db.collection.name": "Task" } });

    // The event: a PRODUCER span under the procedure, whose traceparent the job continues.
    const send = spans.find((s) => s.name === "send task/run.requested")!;
    expect(send).toMatchObject({ kind: KIND.PRODUCER, parentSpanId: procedure.spanId });
    expect(send.attributes).toMatchObject({ "messaging.system": "inngest", "messaging.operation.name": "send", "messaging.destination.name": "task/run.requested" });

    // The job: one CONSUMER span per call request (discovery + four steps), each a child of the send.
    const jobs = spans.filter((s) => s.name === `inngest.job ${FN}`);
    expect(jobs.length).toBeGreaterThanOrEqual(4);
    for (const job of jobs) {
      expect(job).toMatchObject({ kind: KIND.CONSUMER, parentSpanId: send.spanId });
      expect(job.attributes).toMatchObject({
        "messaging.system": "inngest",
        "messaging.destination.name": FN,
        "messaging.operation.name": "process",
        "ocsuite.tenant.id": t.tenantId,
        "inngest.run.id": run.id,
      });
    }

    // The model calls: GenAI CLIENT spans inside a step inside a job request.
    const calls = spans.filter((s) => s.name === "chat mock-model");
    expect(calls).toHaveLength(3); // plan, draft, review (research is retrieval only)
    for (const call of calls) {
      const up = ancestorsOf(call, spans);
      expect(up[0]?.name).toMatch(/^task\.step (plan|draft|review)$/);
      expect(up.some((s) => jobs.includes(s))).toBe(true);
      expect(up.at(-1)?.spanId).toBe(t.httpSpanId);
      expect(call).toMatchObject({
        kind: KIND.CLIENT,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai_compatible",
          "gen_ai.request.model": "mock-model",
          "gen_ai.usage.input_tokens": 11,
          "gen_ai.usage.output_tokens": 7,
          "ocsuite.tenant.id": t.tenantId,
        },
      });
    }

    // Content never leaves on a span: no attribute (or event attribute) of anything exported holds the prompt or
    // the answer, and none of the attributes that exist to carry content (GenAI messages, bound SQL values) is set.
    const keys = receiver.spans.flatMap((s) => [...Object.keys(s.attributes), ...s.eventAttributes.flatMap((e) => Object.keys(e))]);
    expect(keys.filter((k) => /^gen_ai\.(prompt|completion|input\.messages|output\.messages|system_instructions)|^db\.query\.parameter\./.test(k))).toEqual([]);
    const exported = JSON.stringify(receiver.spans.map((s) => [s.name, s.attributes, s.eventAttributes]));
    expect(exported).not.toContain(PROMPT_MARKER);
    expect(exported).not.toContain(ANSWER_MARKER);
  });
});
