/**
 * JobTelemetryMiddleware: a real SDK function with the middleware, driven by
 * the local executor over HTTP; spans and metrics land in in-memory OTel
 * exporters/readers.
 */
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Inngest } from "inngest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { metrics as prom } from "~/server/infra/metrics";
import { runOf, startApp, startExecutor } from "../../../inngest/local/testing/harness";
import { JobTelemetryMiddleware } from "./telemetry";
import { currentTraceparent } from "./trace-context";

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush() {
    return Promise.resolve();
  }
  protected override onShutdown() {
    return Promise.resolve();
  }
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
// As in the app (@vercel/otel registers both): W3C propagation and async context.
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const options = { id: "telemetry", isDev: true, logger: quiet, middleware: [JobTelemetryMiddleware] } as {
  id: string;
  isDev: boolean;
  logger: typeof quiet;
  middleware: [typeof JobTelemetryMiddleware];
  baseUrl?: string;
};
const client = new Inngest(options);
let failures = 0;
const fn = client.createFunction({ id: "observed", retries: 2, triggers: [{ event: "t/observed" }] }, async ({ step }) => {
  await step.run("first", () => 1);
  return step.run("flaky", () => {
    if (failures++ === 0) throw new TypeError("transient");
    return "ok";
  });
});

const doomed = client.createFunction({ id: "doomed", retries: 1, triggers: [{ event: "t/doomed" }] }, async ({ step }) => {
  await step.run("explode", () => {
    throw new RangeError("always");
  });
});

/** The value of one prom-client series (labels matched exactly on the given keys). */
const promValue = async (metric: { get: () => Promise<{ values: { labels: Record<string, unknown>; value: number; metricName?: string }[] }> }, labels: Record<string, string>, metricName?: string) =>
  (await metric.get()).values.find((v) => (!metricName || v.metricName === metricName) && Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  app = await startApp(client, [fn, doomed]);
  exec = await startExecutor({ db, appUrls: [app.url] });
  options.baseUrl = exec.url;
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
});

const points = (rm: ResourceMetrics, name: string) =>
  rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name)?.dataPoints ?? [];

it("records a span per job request and queue-wait, duration, retry, failure and run metrics", async () => {
  const { ids } = await client.send({ name: "t/observed", data: { tenantId: "tenant-otel" } });
  const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "telemetry-observed")).id);
  expect(run.status).toBe("COMPLETED");

  const jobSpans = spans.getFinishedSpans().filter((s) => s.name === "inngest.job telemetry-observed");
  expect(jobSpans.length).toBeGreaterThanOrEqual(3); // first step, failing attempt, retry, final
  expect(jobSpans.every((s) => s.attributes["ocsuite.tenant.id"] === "tenant-otel" && s.attributes["inngest.run.id"] === run.id)).toBe(true);
  expect(jobSpans.some((s) => (s.attributes["inngest.attempt"] as number) > 0)).toBe(true);
  expect(jobSpans.some((s) => s.attributes["inngest.status"] === "completed")).toBe(true);

  const { resourceMetrics } = await reader.collect();
  const wait = points(resourceMetrics, "ocsuite.job.queue_wait");
  expect(wait).toHaveLength(1);
  expect(wait[0]!.attributes).toMatchObject({ "inngest.function.id": "telemetry-observed", "ocsuite.tenant.id": "tenant-otel" });
  expect((wait[0]!.value as { count: number }).count).toBe(1);
  expect(points(resourceMetrics, "ocsuite.job.duration").length).toBeGreaterThan(0);
  expect(points(resourceMetrics, "ocsuite.job.retries")[0]!.value).toBeGreaterThanOrEqual(1);
  const fail = points(resourceMetrics, "ocsuite.job.failures");
  expect(fail.some((p) => p.attributes["error.type"] === "TypeError" && p.attributes.final === false)).toBe(true);
  expect(points(resourceMetrics, "ocsuite.job.runs").find((p) => p.attributes.status === "completed")?.value).toBe(1);
});

it("feeds the Prometheus registry served at /api/metrics", async () => {
  // (the first test's run already happened; these are cumulative process-wide values)
  const f = "telemetry-observed";
  expect(await promValue(prom.jobQueueWait, { function: f, tenant: "tenant-otel" }, "ocsuite_job_queue_wait_seconds_count")).toBe(1);
  expect(await promValue(prom.jobRuns, { function: f, status: "completed" })).toBe(1);
  expect(await promValue(prom.jobRetries, { function: f })).toBeGreaterThanOrEqual(1);
  expect(await promValue(prom.jobFailures, { function: f, error_type: "TypeError", final: "false" })).toBe(1);
  expect(await promValue(prom.jobDuration, { function: f, status: "completed" }, "ocsuite_job_duration_seconds_count")).toBe(1);
  expect(await promValue(prom.jobDuration, { function: f, status: "step" }, "ocsuite_job_duration_seconds_count")).toBeGreaterThanOrEqual(1);
  expect(await promValue(prom.deadLetters, { function: f })).toBeUndefined();

  const text = await prom.registry.getSingleMetricAsString("ocsuite_job_runs_total");
  expect(text).toContain(`ocsuite_job_runs_total{function="${f}",status="completed",service="ocsuite-web"} 1`);
});

it("counts a run that exhausts its retries as failed and dead-lettered, with an empty tenant label", async () => {
  const { ids } = await client.send({ name: "t/doomed", data: {} });
  const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "telemetry-doomed")).id);
  expect(run.status).toBe("FAILED");
  expect(await db.inngestDeadLetter.findUnique({ where: { runId: run.id } })).toMatchObject({ functionId: "telemetry-doomed", errorName: "RangeError" });

  const f = "telemetry-doomed";
  expect(await promValue(prom.deadLetters, { function: f })).toBe(1);
  expect(await promValue(prom.jobRuns, { function: f, status: "failed" })).toBe(1);
  expect(await promValue(prom.jobFailures, { function: f, error_type: "RangeError", final: "true" })).toBeGreaterThanOrEqual(1);
  expect(await promValue(prom.jobQueueWait, { function: f, tenant: "" }, "ocsuite_job_queue_wait_seconds_count")).toBe(1);
  expect(await promValue(prom.jobRetries, { function: f })).toBeGreaterThanOrEqual(1);
  expect(await prom.registry.getSingleMetricAsString("ocsuite_dead_letters_total")).toContain(`ocsuite_dead_letters_total{function="${f}",service="ocsuite-web"} 1`);
});

it("continues the trace of the request that sent the event", async () => {
  const requestSpan = trace.getTracer("test").startSpan("POST /api/trpc/admin.runDiagnostic");
  const traceparent = context.with(trace.setSpan(context.active(), requestSpan), () => currentTraceparent());
  requestSpan.end();
  expect(traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);

  const { ids } = await client.send({ name: "t/observed", data: { tenantId: "tenant-trace", traceparent } });
  const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "telemetry-observed")).id);
  const jobSpans = spans.getFinishedSpans().filter((s) => s.name === "inngest.job telemetry-observed" && s.attributes["inngest.run.id"] === run.id);
  expect(jobSpans.length).toBeGreaterThan(0);
  for (const s of jobSpans) {
    expect(s.spanContext().traceId).toBe(requestSpan.spanContext().traceId);
    expect(s.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
  }
});
