/**
 * JobTelemetryMiddleware: a real SDK function with the middleware, driven by
 * the local executor over HTTP; spans land in an in-memory exporter, metrics
 * are read from this process's Prometheus scrape (what /api/metrics serves).
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Inngest } from "inngest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { scrapePrometheus } from "~/server/infra/metrics-exporter";
import { runOf, startApp, startExecutor } from "../../../inngest/local/testing/harness";
import { parsePrometheusText, sampleValue, type Sample } from "../../../tests/support/prometheus-text";
import { JobTelemetryMiddleware } from "./telemetry";
import { currentTraceparent } from "./trace-context";

const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
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

const scrape = async () => {
  const text = await scrapePrometheus();
  return { text, samples: parsePrometheusText(text).samples };
};
/** The job series (ocsuite.job.*, messaging.*) of one function. */
const jobSeries = (samples: Sample[], fn: string) =>
  samples.filter((s) => (s.name.startsWith("ocsuite_job_") || s.name.startsWith("messaging_")) && s.labels.messaging_destination_name === fn);

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


it("records a span per job request and queue-wait, duration, retry, failure and run metrics", async () => {
  const { ids } = await client.send({ name: "t/observed", data: { tenantId: "tenant-otel" } });
  const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "telemetry-observed")).id);
  expect(run.status).toBe("COMPLETED");

  const jobSpans = spans.getFinishedSpans().filter((s) => s.name === "inngest.job telemetry-observed");
  expect(jobSpans.length).toBeGreaterThanOrEqual(3); // first step, failing attempt, retry, final
  expect(jobSpans.every((s) => s.attributes["ocsuite.tenant.id"] === "tenant-otel" && s.attributes["inngest.run.id"] === run.id)).toBe(true);
  expect(jobSpans.some((s) => (s.attributes["inngest.attempt"] as number) > 0)).toBe(true);
  expect(jobSpans.some((s) => s.attributes["inngest.status"] === "completed")).toBe(true);

  const { samples } = await scrape();
  const f = { messaging_destination_name: "telemetry-observed" };
  const wait = samples.filter((s) => s.name === "ocsuite_job_queue_wait_count" && s.labels.messaging_destination_name === f.messaging_destination_name);
  expect(wait).toHaveLength(1);
  // The function, never the tenant: a tenant id is an unbounded label (it is on the span).
  expect(wait[0]!.labels).toEqual(f);
  expect(wait[0]!.value).toBe(1);
  expect(jobSeries(samples, f.messaging_destination_name).some((s) => Object.values(s.labels).includes("tenant-otel"))).toBe(false);
  // One messaging.process.duration sample per request, as one span per request.
  expect(sampleValue(samples, "messaging_process_duration_count", { ...f, messaging_system: "inngest", messaging_operation_name: "process" })).toBe(jobSpans.length);
  expect(sampleValue(samples, "ocsuite_job_retries_total", f)).toBeGreaterThanOrEqual(1);
  expect(sampleValue(samples, "ocsuite_job_failures_total", { ...f, error_type: "TypeError", ocsuite_final: "false" })).toBe(1);
  expect(sampleValue(samples, "ocsuite_job_runs_total", { ...f, ocsuite_outcome: "completed" })).toBe(1);
});

it("serves them as the Prometheus text of /api/metrics, under the catalogue's names", async () => {
  // (the first test's run already happened; these are cumulative process-wide values)
  const f = "telemetry-observed";
  const { text, samples } = await scrape();
  expect(text).toContain(`ocsuite_job_runs_total{messaging_destination_name="${f}",ocsuite_outcome="completed"} 1`);
  expect(text).toContain(`ocsuite_job_queue_wait_count{messaging_destination_name="${f}"} 1`);
  expect(text).toContain("# TYPE messaging_process_duration histogram");
  // The service is named once, on target_info, not on every series.
  expect(text).toMatch(/^target_info\{[^}]*service_name="ocsuite-web"/m);
  expect(samples.some((s) => s.name === "ocsuite_job_dead_letters_total" && s.labels.messaging_destination_name === f)).toBe(false);
});

it("counts a run that exhausts its retries as failed and dead-lettered (an event without a tenant: the same labels)", async () => {
  const { ids } = await client.send({ name: "t/doomed", data: {} });
  const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "telemetry-doomed")).id);
  expect(run.status).toBe("FAILED");
  expect(await db.inngestDeadLetter.findUnique({ where: { runId: run.id } })).toMatchObject({ functionId: "telemetry-doomed", errorName: "RangeError" });

  const f = "telemetry-doomed";
  const { text, samples } = await scrape();
  const fn = { messaging_destination_name: f };
  expect(sampleValue(samples, "ocsuite_job_dead_letters_total", fn)).toBe(1);
  expect(sampleValue(samples, "ocsuite_job_runs_total", { ...fn, ocsuite_outcome: "failed" })).toBe(1);
  expect(sampleValue(samples, "ocsuite_job_failures_total", { ...fn, error_type: "RangeError", ocsuite_final: "true" })).toBeGreaterThanOrEqual(1);
  expect(sampleValue(samples, "ocsuite_job_queue_wait_count", fn)).toBe(1);
  expect(sampleValue(samples, "ocsuite_job_retries_total", fn)).toBeGreaterThanOrEqual(1);
  // A failed request carries its error class on messaging.process.duration.
  expect(sampleValue(samples, "messaging_process_duration_count", { ...fn, error_type: "RangeError" })).toBeGreaterThanOrEqual(1);
  expect(text).toContain(`ocsuite_job_dead_letters_total{messaging_destination_name="${f}"} 1`);
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
