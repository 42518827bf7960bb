/**
 * The telemetry rules of issue 16, proved on what really leaves the process:
 * the worker's tracer provider (startTracing: the shared span processors, the
 * OTLP/HTTP JSON exporter, Prisma's instrumentation) exports to a real local
 * OTLP receiver (tests/support/otlp-receiver.ts), and the flows are real — a
 * chat turn through POST /api/t/[tenantSlug]/chat (real session cookie, real
 * tenant resolution on PostgreSQL, grounding on an uploaded and indexed
 * document, the persona answering through a local OpenAI-protocol server) and a
 * tRPC search, each inside a SERVER span standing in for Next's request span
 * (which carries the URL with the slug and the query string), for a workspace
 * with telemetry on and one with it off. Asserted on the raw export bodies:
 *   on  → the tenant id (and the user id) are on the spans;
 *   off → the tenant id, slug, member's user id and e-mail appear nowhere
 *         (no attribute, event, span name or resource of any exported span);
 *   both → neither the prompt, the answer nor the document's text appears.
 * Also: job spans through the real Inngest middleware and local executor
 * (the setting read before the span starts, nothing cached), an unknown
 * tenant is redacted until its setting is read, a change
 * applies after invalidateTenantTelemetry, log lines follow the setting
 * (the real logger options over a captured stream), and no metric of the
 * catalogue can carry a tenant or user attribute.
 */
import { Writable } from "node:stream";
import { context, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { encode } from "next-auth/jwt";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heartbeat } from "../inngest/system/heartbeat";
import { runOf, startApp, startExecutor } from "../inngest/local/testing/harness";
import { createSession, createTenant, createTenantWithMembers, tenantCtxOf, uid, userCtxOf, type TenantFixture } from "../prisma/factories";
import { startMockOpenAI, type MockOpenAI } from "./support/mock-openai-server";
import { startOtlpReceiver, type OtlpReceiver } from "./support/otlp-receiver";
import { callerFor } from "./support/trpc";
import { POST as chatPost } from "~/app/api/t/[tenantSlug]/chat/route";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { loggerOptions } from "~/server/infra/logger";
import { METRICS } from "~/server/infra/metric-catalog";
import { forgetTenantTelemetry, invalidateTenantTelemetry, isTelemetryAllowed, loadTenantTelemetry } from "~/server/infra/privacy-telemetry";
import { startTracing, type Tracing } from "~/server/infra/trace-sdk";
import { ingestDocumentNow } from "~/server/services/knowledge/ingest";
import { uploadDocument } from "~/server/services/knowledge/document-upload";
import { createCredential } from "~/server/services/providers/credentials";
import { resolveTenantContext } from "~/server/services/tenancy/tenant-context";

const APP = "http://localhost:3000";
// Markers that would only appear in an export if content leaked onto a span.
const PROMPT_MARKER = `promptmarker${uid(4)}`;
const ANSWER_MARKER = `answermarker${uid(4)}`;
const DOC_MARKER = `docmarker${uid(4)}`;
const REPLY = `Give every new hire the welcome kit first (${ANSWER_MARKER}).`;

let receiver: OtlpReceiver;
let tracing: Tracing;
let mock: MockOpenAI;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = startTracing({ serviceName: "ocsuite-web", tracesUrl: receiver.url });
  mock = await startMockOpenAI({ reply: REPLY });
});
afterAll(async () => {
  await mock?.close();
  await tracing?.shutdown();
  await receiver?.close();
});

const tracer = () => trace.getTracer("privacy-telemetry.test");

/** A workspace with a provider on the mock server, an indexed document and a signed-in member's cookie. */
const workspace = async (telemetryEnabled: boolean) => {
  const f = await createTenantWithMembers();
  await db.tenant.update({ where: { id: f.tenant.id }, data: { telemetryEnabled } });
  const owner = tenantCtxOf(f.tenant, f.owner, "OWNER");
  await createCredential(owner, { provider: "openai-compatible", label: "Mock", apiKey: `sk-privacy-${uid(8)}`, baseUrl: mock.url, defaultModel: "mock-model" }, { allowPrivateAddresses: true });
  const text = `# Onboarding handbook\n\nEvery new hire receives the zephyr welcome kit on day one. Reference ${DOC_MARKER}.\n`;
  const { document } = await uploadDocument(tenantCtxOf(f.tenant, f.member, "MEMBER"), { filename: "onboarding.md", bytes: new TextEncoder().encode(text) });
  await ingestDocumentNow({ tenantId: f.tenant.id, documentId: document.id, indexVersion: document.indexVersion });
  const { sessionToken } = await createSession(f.member.id);
  const jwt = await encode({ token: { sub: f.member.id, sid: sessionToken, email: f.member.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return { ...f, cookie: `authjs.session-token=${jwt}` };
};
type Workspace = Awaited<ReturnType<typeof workspace>>;

/** Runs `fn` inside a SERVER span shaped like Next's request span (URL with slug and query); returns the trace id. */
const inRequest = async (name: string, target: string, fn: () => Promise<void>): Promise<string> => {
  const root = tracer().startSpan(name, {
    kind: SpanKind.SERVER,
    attributes: { "next.span_type": "BaseServer.handleRequest", "http.method": "POST", "http.target": target, "http.url": `${APP}${target}` },
  });
  await context.with(trace.setSpan(ROOT_CONTEXT, root), fn);
  root.setAttribute("http.status_code", 200);
  root.end();
  return root.spanContext().traceId;
};

/** A chat turn asking about the document, through the real route; the answer is read to the end. */
const chatTurn = (w: Workspace) =>
  inRequest(`POST /api/t/${w.tenant.slug}/chat`, `/api/t/${w.tenant.slug}/chat?draft=${PROMPT_MARKER}`, async () => {
    const req = new Request(`${APP}/api/t/${w.tenant.slug}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP, "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", cookie: w.cookie },
      body: JSON.stringify({ action: "send", personaKey: "cto", content: `What does the onboarding handbook say about the zephyr welcome kit? ${PROMPT_MARKER}` }),
    });
    const res = await chatPost(req, { params: Promise.resolve({ tenantSlug: w.tenant.slug }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(ANSWER_MARKER);
  });

/** A workspace search over tRPC; as a GET its whole input (slug, search words) would be in the URL's query string. */
const search = (w: Workspace) => {
  const input = encodeURIComponent(JSON.stringify({ 0: { json: { tenantSlug: w.tenant.slug, query: PROMPT_MARKER } } }));
  return inRequest("GET /api/trpc/[trpc]", `/api/trpc/search.query?batch=1&input=${input}`, async () => {
    await callerFor(w.member).search.query({ tenantSlug: w.tenant.slug, query: `zephyr ${PROMPT_MARKER}` });
  });
};

const until = async <T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Every exported span of these traces, once the batch has gone out. */
const exported = async (traceIds: string[], minimum: number) => {
  await tracing.provider.forceFlush();
  return until(() => {
    const spans = receiver.spans.filter((s) => traceIds.includes(s.traceId));
    return spans.length >= minimum && spans;
  });
};

describe("spans exported over OTLP, by the workspace's telemetry setting", () => {
  let on: Workspace;
  let off: Workspace;
  const traces = { on: [] as string[], off: [] as string[] };

  beforeAll(async () => {
    [on, off] = [await workspace(true), await workspace(false)];
    for (const [w, ids] of [
      [on, traces.on],
      [off, traces.off],
    ] as const) {
      ids.push(await chatTurn(w), await search(w));
    }
    // The content really went through: the persona was asked the question with the document's passage.
    const asked = JSON.stringify(mock.requests.map((r) => r.body));
    expect(asked).toContain(PROMPT_MARKER);
    expect(asked).toContain(DOC_MARKER);
  });

  it("on: the spans name the workspace and the user; the request URL keeps its path but not its query", async () => {
    const spans = await exported(traces.on, 10);
    expect(spans.filter((s) => s.attributes["ocsuite.tenant.id"] === on.tenant.id).map((s) => s.name)).toEqual(
      expect.arrayContaining(["POST /api/t/[tenantSlug]/chat", "chat.turn", "knowledge.retrieve", "trpc search.query", "search.workspace"]),
    );
    expect(spans.some((s) => s.attributes["enduser.id"] === on.member.id)).toBe(true);
    const root = spans.find((s) => s.parentSpanId === undefined && s.name.startsWith("POST "))!;
    expect(root.name).toBe(`POST /api/t/${on.tenant.slug}/chat`);
    expect(root.attributes["http.target"]).toBe(`/api/t/${on.tenant.slug}/chat`);
  });

  it("off: no tenant id, slug, user id or e-mail anywhere in what was exported, and the same spans still arrive", async () => {
    const spans = await exported(traces.off, 10);
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(["POST /api/t/[tenantSlug]/chat", "chat.turn", "knowledge.retrieve", "trpc search.query", "search.workspace"]));
    const root = spans.find((s) => s.parentSpanId === undefined && s.name.startsWith("POST "))!;
    expect(root.attributes["http.target"]).toBe("/api/t/[tenantSlug]/chat");
    expect(spans.some((s) => s.name.startsWith("chat ") && s.attributes["gen_ai.request.model"] === "mock-model")).toBe(true);
    for (const s of spans) expect(Object.keys(s.attributes).filter((k) => /tenant|enduser|user\.|email/.test(k))).toEqual([]);
    // Whatever the span, whatever the process exported (every body the receiver got: attributes, events,
    // names, resources), this workspace is not in it.
    const raw = receiver.bodies.join("\n");
    for (const id of [off.tenant.id, off.tenant.slug, off.member.id, off.member.email]) expect(raw).not.toContain(id);
    expect(raw).toContain(on.tenant.id);
  });

  it("both: the prompt, the answer and the document's text are never exported", async () => {
    await exported([...traces.on, ...traces.off], 20);
    const raw = receiver.bodies.join("\n");
    for (const marker of [PROMPT_MARKER, ANSWER_MARKER, DOC_MARKER]) expect(raw).not.toContain(marker);
    const keys = receiver.spans.flatMap((s) => [...Object.keys(s.attributes), ...s.eventAttributes.flatMap((e) => Object.keys(e))]);
    expect(keys.filter((k) => /^gen_ai\.(prompt|completion|input\.messages|output\.messages|system_instructions)|^db\.query\.parameter\.|^url\.query$/.test(k))).toEqual([]);
  });
});

describe("the policy cache", () => {
  let f: TenantFixture;
  beforeAll(async () => {
    f = await createTenantWithMembers();
  });

  /** One span naming the tenant, in a trace of its own; what the receiver got for it. */
  const spanFor = async (tenantId: string) => {
    const span = tracer().startSpan("job.step", { attributes: { "ocsuite.tenant.id": tenantId } }, ROOT_CONTEXT);
    span.end();
    const [got] = await exported([span.spanContext().traceId], 1);
    return got!;
  };

  it("redacts a tenant not known yet, then follows its setting once read; a change applies after invalidation", async () => {
    forgetTenantTelemetry(f.tenant.id);
    expect((await spanFor(f.tenant.id)).attributes["ocsuite.tenant.id"]).toBeUndefined();
    expect(await loadTenantTelemetry(f.tenant.id)).toBe(true);
    expect((await spanFor(f.tenant.id)).attributes["ocsuite.tenant.id"]).toBe(f.tenant.id);

    await db.tenant.update({ where: { id: f.tenant.id }, data: { telemetryEnabled: false } });
    await invalidateTenantTelemetry(f.tenant.id);
    expect(isTelemetryAllowed(f.tenant.id)).toBe(false); // not known: redacting while it is read again
    expect(await loadTenantTelemetry(f.tenant.id)).toBe(false);
    expect((await spanFor(f.tenant.id)).attributes["ocsuite.tenant.id"]).toBeUndefined();
  });

  it("a tenant that does not exist stays redacted", async () => {
    expect(await loadTenantTelemetry(`missing-${uid()}`)).toBe(false);
  });
});

describe("job spans (the Inngest middleware, with nothing cached)", () => {
  it("reads the tenant's setting before the job's span starts: on keeps the tenant id, off exports none", async () => {
    const app = await startApp(inngest, [heartbeat]);
    const exec = await startExecutor({ db });
    try {
      await exec.executor.sync(app.url);
      inngest.setEnvVars({ INNGEST_DEV: exec.url });
      const [on, off] = [await createTenant(), await createTenant()];
      await db.tenant.update({ where: { id: off.id }, data: { telemetryEnabled: false } });
      const runs: Record<string, string> = {};
      for (const t of [on, off]) {
        forgetTenantTelemetry(t.id); // a worker that has not seen this tenant yet
        const [eventId] = await exec.executor.send({ name: "system/ping.requested", data: { pingId: `p-${uid()}`, tenantId: t.id } });
        const run = await exec.executor.waitForRun((await runOf(db, eventId!, "ocsuite-system-heartbeat")).id);
        expect(run.status).toBe("COMPLETED");
        runs[t.id] = run.id;
      }
      await tracing.provider.forceFlush();
      const jobs = await until(() => {
        const spans = receiver.spans.filter((s) => s.name === "inngest.job ocsuite-system-heartbeat");
        return spans.some((s) => s.attributes["inngest.run.id"] === runs[on.id]) && spans.some((s) => s.attributes["inngest.run.id"] === runs[off.id]) && spans;
      });
      for (const s of jobs.filter((j) => j.attributes["inngest.run.id"] === runs[on.id])) expect(s.attributes["ocsuite.tenant.id"]).toBe(on.id);
      for (const s of jobs.filter((j) => j.attributes["inngest.run.id"] === runs[off.id])) expect(s.attributes["ocsuite.tenant.id"]).toBeUndefined();
      const raw = receiver.bodies.join("\n");
      expect(raw).toContain(on.id);
      for (const id of [off.id, off.slug]) expect(raw).not.toContain(id);
    } finally {
      await exec.close();
      await app.close();
    }
  });
});

describe("log lines", () => {
  /** The app's logger options writing to memory: each line parsed. */
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    // The level only: tests run with LOG_LEVEL=silent.
    return { log: pino({ ...loggerOptions, level: "info" }, sink), lines };
  };

  /** Resolves the tenant inside a request span (as every request does), then logs as a service would. */
  const logInRequest = async (f: TenantFixture) => {
    const { log, lines } = capture();
    const span = tracer().startSpan("trpc task.create", {}, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await resolveTenantContext(userCtxOf(f.member), f.tenant.slug, "MEMBER");
      log.info({ tenantId: f.tenant.id, taskId: "task-1", userId: f.member.id, email: f.member.email }, "task created");
      log.info({ documentId: "doc-1" }, `ingest queued for ${f.member.email}`);
    });
    span.end();
    return lines;
  };

  it("on: the lines keep the tenant and the user", async () => {
    const f = await createTenantWithMembers();
    const [created, queued] = await logInRequest(f);
    expect(created).toMatchObject({ tenantId: f.tenant.id, userId: f.member.id, email: f.member.email, taskId: "task-1" });
    expect(queued).toMatchObject({ documentId: "doc-1" });
  });

  it("off: the lines lose the tenant, the user and any e-mail, also lines that only share the request's trace", async () => {
    const f = await createTenantWithMembers();
    await db.tenant.update({ where: { id: f.tenant.id }, data: { telemetryEnabled: false } });
    const lines = await logInRequest(f);
    expect(lines[0]).toMatchObject({ taskId: "task-1", telemetry: "anonymised", msg: "task created" });
    expect(lines[1]).toMatchObject({ documentId: "doc-1", telemetry: "anonymised" });
    const text = JSON.stringify(lines);
    for (const id of [f.tenant.id, f.tenant.slug, f.member.id, f.member.email]) expect(text).not.toContain(id);
  });
});

describe("metrics", () => {
  it("no instrument of the catalogue may carry a tenant, user or e-mail attribute (metrics.ts accepts only catalogue keys)", () => {
    const offending = METRICS.flatMap((m) => m.attributes.filter((a) => /tenant|user|email|slug|session/i.test(a)).map((a) => `${m.name}: ${a}`));
    expect(offending).toEqual([]);
    expect(METRICS.length).toBeGreaterThan(10);
  });
});
