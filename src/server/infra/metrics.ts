import "server-only";
import type { Counter, Gauge, Histogram, Meter, ObservableGauge } from "@opentelemetry/api";
import { METRICS, type MetricName, type MetricSpec } from "./metric-catalog";
import { meterProvider } from "./metrics-exporter";

/*
 * Every metric the app records, as typed OpenTelemetry instruments built from
 * the catalogue (metric-catalog.ts: name, kind, unit, attribute keys,
 * buckets). Call sites stay one line:
 *   metrics.chatTurns.add(1, { "ocsuite.chat.action": "send", "ocsuite.outcome": "complete" });
 * and the attribute object accepts only the keys the catalogue declares for
 * that instrument (an excess key is a type error), so nothing unbounded — a
 * tenant id, a raw model string — can become a label by accident. Values must
 * still come from bounded sets: see normaliseModel() in model-family.ts.
 *
 * The instruments record into the process's one MeterProvider
 * (metrics-exporter.ts: Prometheus pull + optional OTLP push). Both live on
 * globalThis, so Next's per-route module copies share them.
 */

/** Which catalogue entry each helper records: the key is what code writes, the value the OTel name. */
const HELPERS = {
  // HTTP (tRPC procedures and route handlers)
  httpServerDuration: "http.server.request.duration",
  // GenAI client (the LLM gateway; embeddings have their own below)
  genAiOperationDuration: "gen_ai.client.operation.duration",
  genAiTokenUsage: "gen_ai.client.token.usage",
  genAiTimeToFirstChunk: "gen_ai.client.operation.time_to_first_chunk",
  // Chat and persona work
  chatTimeToFirstToken: "ocsuite.chat.time_to_first_token",
  chatTurns: "ocsuite.chat.turns",
  chatTurnsRefused: "ocsuite.chat.turns_refused",
  retrievalFailures: "ocsuite.retrieval.failures",
  personaPromptCache: "ocsuite.persona.prompt_cache",
  // Background jobs (src/server/events/telemetry.ts, job-queue-depth.ts)
  jobProcessDuration: "messaging.process.duration",
  jobQueueWait: "ocsuite.job.queue_wait",
  jobRuns: "ocsuite.job.runs",
  jobFailures: "ocsuite.job.failures",
  jobRetries: "ocsuite.job.retries",
  jobDeadLetters: "ocsuite.job.dead_letters",
  jobQueueDepth: "ocsuite.job.queue_depth",
  jobQueueOldestAge: "ocsuite.job.queue_oldest_age",
  // Meetings, tasks
  meetingTurns: "ocsuite.meeting.turns",
  meetingTurnDuration: "ocsuite.meeting.turn.duration",
  taskStepDuration: "ocsuite.task.step.duration",
  taskRuns: "ocsuite.task.runs",
  tasksCreated: "ocsuite.tasks.created",
  // Knowledge
  retrievalDuration: "ocsuite.retrieval.duration",
  embeddingDuration: "ocsuite.embedding.duration",
  vectorSearchAvailable: "ocsuite.vector_search.available",
  // Security, auth, audit
  signIns: "ocsuite.auth.sign_ins",
  rateLimited: "ocsuite.rate_limited",
  admissionRefused: "ocsuite.admission.refused",
  auditWriteFailures: "ocsuite.audit.write_failures",
  // Registered for the key-rotation work (master key / tenant data key re-wrap);
  // nothing records it yet, so it is exported only once that code increments it.
  keyRotationFailures: "ocsuite.key_rotation.failures",
  keyRotationDuration: "ocsuite.key_rotation.duration",
  keyRotationRows: "ocsuite.key_rotation.rows",
} as const satisfies Record<string, MetricName>;

type Helpers = typeof HELPERS;
type SpecOf<N extends MetricName> = Extract<(typeof METRICS)[number], { name: N }>;
/** The attributes an instrument accepts: only its catalogue keys, each optional (error.type is set on failures only). */
export type MetricAttributesOf<N extends MetricName> = { [K in SpecOf<N>["attributes"][number]]?: string | number | boolean };
type InstrumentOf<N extends MetricName> = SpecOf<N>["kind"] extends "counter"
  ? Counter<MetricAttributesOf<N>>
  : SpecOf<N>["kind"] extends "histogram"
    ? Histogram<MetricAttributesOf<N>>
    : SpecOf<N>["kind"] extends "gauge"
      ? Gauge<MetricAttributesOf<N>>
      : ObservableGauge<MetricAttributesOf<N>>;
export type Metrics = { [H in keyof Helpers]: InstrumentOf<Helpers[H]> };

// A catalogue entry with no helper would never be recorded: fail the typecheck instead.
type Unmapped = Exclude<MetricName, Helpers[keyof Helpers]>;
const everyMetricHasAHelper: [Unmapped] extends [never] ? true : never = true;

const createInstrument = (meter: Meter, spec: MetricSpec) => {
  const options = { unit: spec.unit, description: spec.description };
  switch (spec.kind) {
    case "counter":
      return meter.createCounter(spec.name, options);
    case "histogram":
      return meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: [...(spec.buckets ?? [])] } });
    case "gauge":
      return meter.createGauge(spec.name, options);
    case "observableGauge":
      return meter.createObservableGauge(spec.name, options);
  }
};

const createInstruments = (): Record<string, unknown> => {
  const meter = meterProvider().getMeter("ocsuite");
  const byName = new Map((METRICS as readonly MetricSpec[]).map((spec) => [spec.name, createInstrument(meter, spec)]));
  return Object.fromEntries(Object.entries(HELPERS).map(([helper, name]) => [helper, byName.get(name)]));
};

/**
 * The instruments are created on first use, not at import: the MeterProvider
 * takes the process's service name when it is created, and a process (the
 * worker) names itself after its imports have run.
 */
const createMetrics = (): Metrics => {
  let instruments: Record<string, unknown> | undefined;
  const out = {};
  for (const helper of Object.keys(HELPERS)) Object.defineProperty(out, helper, { enumerable: true, get: () => (instruments ??= createInstruments())[helper] });
  return out as Metrics;
};

const g = globalThis as unknown as { __ocsuiteMetrics?: Metrics };
export const metrics: Metrics = everyMetricHasAHelper && (g.__ocsuiteMetrics ??= createMetrics());
