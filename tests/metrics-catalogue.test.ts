/**
 * The metric pipeline end to end, read as Prometheus reads it (the text the
 * /api/metrics route serves):
 *   - cardinality: chat turns of many tenants (offline model), LLM calls with
 *     many distinct model strings (the gateway against a local OpenAI-compatible
 *     server) and job runs of many tenants (the job middleware, driven by the
 *     local executor over HTTP) do not add series: the count after 5 tenants /
 *     20 models equals the count after 50 tenants / 200 models, and no label
 *     value is a tenant id, a tenant slug or a raw model string;
 *   - the catalogue: every metric in metric-catalog.ts appears under its
 *     Prometheus name with exactly its declared attribute keys as labels, and
 *     nothing outside it does except target_info;
 *   - the route: 401 without or with a wrong token, 200 with METRICS_TOKEN.
 */
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runOf, startApp, startExecutor } from "../inngest/local/testing/harness";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../prisma/factories";
import { startMockOpenAI, type MockOpenAI } from "./support/mock-openai-server";
import { parsePrometheusText, type Sample } from "./support/prometheus-text";
import type { Db } from "~/server/db/client";

const TOKEN = vi.hoisted(() => {
  // Before src/env.js is first imported: the route reads it from there.
  const t = `metrics-test-token-${Date.now()}`;
  process.env.METRICS_TOKEN = t;
  return t;
});

const { GET } = await import("~/app/api/metrics/route");
const { db } = await import("~/server/db/client");
const { PrismaClient } = await import("~/server/db/generated/client");
const { pgConfigFromUrl } = await import("~/server/db/pg-config");
const { JobTelemetryMiddleware } = await import("~/server/events/telemetry");
const { instrumentedRoute } = await import("~/server/http/kit/telemetry");
const { metrics } = await import("~/server/infra/metrics");
const { METRICS, prometheusLabel, prometheusName } = await import("~/server/infra/metric-catalog");
const { hitRateLimit } = await import("~/server/infra/rate-limit");
const { retrieveWithTimeout } = await import("~/server/services/assist/grounding");
const { startChatTurn } = await import("~/server/services/chat/turns");
const { createTestEmbedder, embedTexts } = await import("~/server/services/knowledge/embeddings");
const { ensureVectorStore } = await import("~/server/services/knowledge/vector-store");
const { retrievePassages } = await import("~/server/services/knowledge/retrieval");
const { streamChat } = await import("~/server/services/llm/gateway");
const { createTask } = await import("~/server/services/tasks/create-task");
const { callerFor } = await import("./support/trpc");

const scrape = async (token: string | null = TOKEN) => {
  const res = await GET(new Request("http://localhost/api/metrics", { headers: token === null ? {} : { authorization: `Bearer ${token}` } }));
  return res;
};
const samplesNow = async () => {
  const res = await scrape();
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
};
const seriesKey = (s: Sample) => `${s.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}=${v}`).join(",")}}`;
const seriesCount = (samples: Sample[]) => new Set(samples.filter((s) => s.name !== "target_info").map(seriesKey)).size;

// ── drivers ────────────────────────────────────────────────────────────────
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const clientOptions = { id: "metrics-cat", isDev: true, logger: quiet, middleware: [JobTelemetryMiddleware] } as {
  id: string;
  isDev: boolean;
  logger: typeof quiet;
  middleware: [typeof JobTelemetryMiddleware];
  baseUrl?: string;
};
const client = new Inngest(clientOptions);
const flaky = new Set<string>();
const tenantJob = client.createFunction({ id: "tenant-job", retries: 2, triggers: [{ event: "m/tenant" }] }, async ({ event, step }) => {
  return step.run("work", () => {
    const key = String((event.data as { tenantId?: string }).tenantId);
    // The first run of each tenant fails once: retries and failures are exercised too.
    if (!flaky.has(key)) {
      flaky.add(key);
      throw new TypeError("transient");
    }
    return key;
  });
});
const doomed = client.createFunction({ id: "doomed-job", retries: 0, triggers: [{ event: "m/doomed" }] }, async ({ step }) => {
  await step.run("explode", () => {
    throw new RangeError("always");
  });
});

let mock: MockOpenAI;
let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  mock = await startMockOpenAI();
  app = await startApp(client, [tenantJob, doomed]);
  exec = await startExecutor({ db, appUrls: [app.url] });
  clientOptions.baseUrl = exec.url;
}, 60_000);
afterAll(async () => {
  await exec?.close();
  await app?.close();
  await mock?.close();
});

const tenants: TenantFixture[] = [];
const modelStrings: string[] = [];
// Every family the 200 strings fall into appears in the first 20 as well.
const TEMPLATES = [(r: string) => `gpt-4o-${r}`, (r: string) => `claude-3-5-sonnet-${r}`, (r: string) => `llama3.1:${r}`, (r: string) => `ft:acme-${r}`, (r: string) => `mistral-large-${r}`];

const chatTurnFor = async (f: TenantFixture) => {
  const turn = await startChatTurn({ tenantId: f.tenant.id, userId: f.member.id }, { action: "send", personaKey: "cfo", content: "What is our runway?" }, { gateway: { offlineChunkDelayMs: 0 } });
  for await (const _ of turn.events) void _;
  expect((await turn.finished).status).toBe("complete");
};
const jobFor = async (f: TenantFixture) => {
  const { ids } = await client.send({ name: "m/tenant", data: { tenantId: f.tenant.id } });
  expect((await exec.executor.waitForRun((await runOf(db, ids[0]!, "metrics-cat-tenant-job")).id)).status).toBe("COMPLETED");
};
const llmCall = async (f: TenantFixture, model: string) => {
  const res = await streamChat({
    tenantId: f.tenant.id,
    userId: f.member.id,
    personaKey: "cfo",
    messages: [{ role: "user", content: "Hi" }],
    model: { provider: "openai-compatible", apiKey: "sk-metrics", baseUrl: mock.url, model },
    retryBaseDelayMs: 1,
  }).result;
  expect(res.text.length).toBeGreaterThan(0);
};
const addTenants = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const f = await createTenantWithMembers();
    tenants.push(f);
    await chatTurnFor(f);
    await jobFor(f);
  }
};
const addModels = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const model = TEMPLATES[modelStrings.length % TEMPLATES.length]!(randomBytes(6).toString("hex"));
    modelStrings.push(model);
    await llmCall(tenants[i % tenants.length]!, model);
  }
};

describe("cardinality", () => {
  it("does not grow with tenants or model strings, and no label is a tenant or a raw model", async () => {
    await addTenants(5);
    await addModels(20);
    const small = seriesCount((await samplesNow()).samples);

    await addTenants(45);
    await addModels(180);
    const { samples } = await samplesNow();
    const large = seriesCount(samples);
    expect(tenants).toHaveLength(50);
    expect(new Set(modelStrings).size).toBe(200);
    expect(large).toBe(small);

    const values = new Set(samples.flatMap((s) => Object.values(s.labels)));
    for (const f of tenants) {
      expect(values.has(f.tenant.id)).toBe(false);
      expect(values.has(f.tenant.slug)).toBe(false);
    }
    for (const m of modelStrings) expect(values.has(m)).toBe(false);
    // The families the strings were normalised to.
    const families = new Set(samples.filter((s) => s.name === "gen_ai_client_token_usage_count").map((s) => s.labels.gen_ai_request_model));
    expect([...families].sort()).toEqual(["claude-sonnet", "gpt-4o", "llama", "mistral", "offline", "other"]);
    process.stdout.write(`[metrics] series after 5 tenants / 20 models: ${small}; after 50 tenants / 200 models: ${large}\n`);
  }, 600_000);
});

/** Exercises what the cardinality run did not: failures, refusals, knowledge, limits, jobs that die, and the rest. */
const exerciseTheRest = async () => {
  const f = tenants[0] ?? (await createTenantWithMembers());
  // HTTP: a tRPC procedure (rpc.* attributes) and a route handler that fails (5xx, error.type).
  await callerFor({ id: f.member.id, email: f.member.email, isPlatformAdmin: false }).tenant.list();
  await instrumentedRoute(new Request("http://localhost/api/t/x/boom", { method: "POST" }), "/api/t/[tenantSlug]/boom", async () => {
    throw new Error("boom");
  });
  // GenAI: a failed call (error.type on the duration).
  mock.setBehaviour({ failWithStatus: 400 });
  await expect(llmCall(f, "gpt-4o-failing")).rejects.toThrow();
  mock.setBehaviour({ failWithStatus: null });
  // Chat: a turn refused (the persona is disabled), and one stopped before its answer (error.type "cancelled").
  await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cmo", enabled: false } });
  await expect(startChatTurn({ tenantId: f.tenant.id, userId: f.member.id }, { action: "send", personaKey: "cmo", content: "Hello?" })).rejects.toThrow();
  const stopped = await startChatTurn({ tenantId: f.tenant.id, userId: f.member.id }, { action: "send", personaKey: "cfo", content: "Stop me" }, { signal: AbortSignal.abort(), gateway: { offlineChunkDelayMs: 0 } });
  for await (const _ of stopped.events) void _;
  expect((await stopped.finished).status).toBe("stopped");
  // Knowledge: retrieval, a failing retrieval (timeout), embeddings, the vector store check.
  await retrievePassages({ tenantId: f.tenant.id }, "runway", { limit: 1, mode: "fts" });
  // A real database client that cannot connect (nothing listens on port 1): the search fails.
  const unreachable = new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl("postgres://nobody@127.0.0.1:1/none", { max: 1 })) }) as unknown as Db;
  const failed = await retrieveWithTimeout({ tenantId: f.tenant.id, query: "runway", limit: 1, purpose: "task", retrieval: { db: unreachable, mode: "fts" } });
  await unreachable.$disconnect().catch(() => undefined);
  expect(failed.failure).toBe("error");
  await embedTexts(createTestEmbedder(), ["a"], { purpose: "query" });
  await ensureVectorStore();
  // Tasks created through the service; a rate limit refused.
  // (counted when the task is written; requesting its run then fails: no engine listens for the app's client here)
  await createTask(tenantCtxOf(f.tenant, f.member, "MEMBER"), { title: "Budget review", description: "Check the budget.", personaKey: "cfo" }).catch(() => undefined);
  const rule = { name: "metrics-test", key: uid(), limit: 1, windowSeconds: 60 };
  await hitRateLimit(rule);
  expect((await hitRateLimit(rule)).allowed).toBe(false);
  // A job that dies: dead-lettered.
  const { ids } = await client.send({ name: "m/doomed", data: {} });
  expect((await exec.executor.waitForRun((await runOf(db, ids[0]!, "metrics-cat-doomed-job")).id)).status).toBe("FAILED");
  // Queue depth: an unleased CALL item of a queued run in the job store.
  const runId = `metrics-${uid()}`;
  await db.inngestRun.create({ data: { id: runId, appId: "metrics-cat", functionId: "metrics-cat-queued", status: "QUEUED", eventId: `evt-${runId}`, event: {}, events: [], maxAttempts: 1 } });
  await db.inngestQueueItem.create({ data: { id: `qi-${runId}`, runId, kind: "CALL", stepId: "step", availableAt: new Date(Date.now() + 3_600_000) } });
  // Recorded by code paths too slow to drive here (a meeting's and a task's steps, sign-in, a failed
  // audit write, a key rotation: services/key-rotation) — through the same typed instruments and
  // with the call sites' attribute keys.
  metrics.meetingTurns.add(1, { "ocsuite.outcome": "complete" });
  metrics.meetingTurnDuration.record(1.5, { "ocsuite.outcome": "complete" });
  metrics.taskStepDuration.record(2, { "ocsuite.task.step": "plan", "ocsuite.outcome": "complete" });
  metrics.taskRuns.add(1, { "ocsuite.outcome": "failed", "error.type": "providerTimeout" });
  metrics.signIns.add(1, { "ocsuite.auth.method": "password", "ocsuite.result": "failure" });
  metrics.auditWriteFailures.add(1, { "ocsuite.audit.action": "tenant.update" });
  metrics.keyRotationFailures.add(1, { "ocsuite.key_rotation.kind": "master-key" });
  metrics.keyRotationDuration.record(12, { "ocsuite.key_rotation.kind": "data-key", "ocsuite.outcome": "completed" });
  metrics.keyRotationRows.add(40, { "ocsuite.key_rotation.kind": "data-key" });
  metrics.admissionRefused.add(1, { "ocsuite.work.kind": "task" });
  return runId;
};

describe("the catalogue", () => {
  it("every metric appears under its Prometheus name with exactly its declared labels; nothing else does but target_info", async () => {
    const runId = await exerciseTheRest();
    try {
      const { samples, families } = await samplesNow();
      const expected = new Map<string, { kind: string; labels: Set<string> }>();
      for (const m of METRICS) expected.set(prometheusName(m), { kind: m.kind, labels: new Set(m.attributes.map(prometheusLabel)) });

      for (const [name, spec] of expected) {
        const series = samples.filter((s) => (spec.kind === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`].includes(s.name) : s.name === name));
        expect(series.length, name).toBeGreaterThan(0);
        expect(families.get(name), name).toBe(spec.kind === "histogram" ? "histogram" : spec.kind === "counter" ? "counter" : "gauge");
        const labels = new Set(series.flatMap((s) => Object.keys(s.labels)).filter((l) => l !== "le"));
        expect([...labels].sort(), name).toEqual([...spec.labels].sort());
      }
      const known = new Set([...expected.keys(), "target_info"]);
      expect([...families.keys()].filter((f) => !known.has(f))).toEqual([]);
      expect(samples.find((s) => s.name === "ocsuite_job_queue_depth" && s.labels.messaging_destination_name === "metrics-cat-queued")?.value).toBe(1);
      // Its item is scheduled an hour ahead: waiting, but not late.
      expect(samples.find((s) => s.name === "ocsuite_job_queue_oldest_age" && s.labels.messaging_destination_name === "metrics-cat-queued")?.value).toBe(0);
    } finally {
      await db.inngestQueueItem.deleteMany({ where: { runId } });
      await db.inngestRun.deleteMany({ where: { id: runId } });
    }
  }, 120_000);
});

describe("/api/metrics", () => {
  it("is 401 without a token and with a wrong one, 200 Prometheus text with METRICS_TOKEN", async () => {
    const none = await scrape(null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await scrape("wrong-token-000000000000")).status).toBe(401);
    expect((await scrape(`${TOKEN}x`)).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    expect(await ok.text()).toMatch(/^# HELP /m);
  });
});
