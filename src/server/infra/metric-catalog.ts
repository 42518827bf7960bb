/*
 * Every metric the app exports, in one table: the OpenTelemetry instrument
 * (name, kind, unit, attributes) and the Prometheus family it becomes on
 * /api/metrics and the worker's /metrics (@opentelemetry/exporter-prometheus:
 * dots → underscores, no unit suffix, counters get `_total`; histograms add
 * `_bucket`/`_sum`/`_count`).
 *
 * infra/metrics.ts builds the instruments from this table, the ops kit (SLO
 * rules, alerts, dashboards in ops/) is checked against it, so a name cannot
 * drift between the code that records and the queries that read.
 *
 * Names and attributes follow the OpenTelemetry semantic conventions where one
 * exists (HTTP server, GenAI client, messaging); ours are `ocsuite.*`.
 * Cardinality is bounded by design: every attribute takes values from a set
 * the code controls (routes, procedure names, function ids, reasons, a
 * normalised model family) — never a tenant id, user id or free text. Per-tenant
 * figures come from the database (LlmCall rows, messages, job runs); tenant
 * ids go on spans and logs.
 *
 * No imports: this file is data, read by tests and generators outside Next.
 */

export type MetricKind = "counter" | "histogram" | "gauge" | "observableGauge";

export type MetricSpec = {
  /** The OpenTelemetry instrument name. */
  name: string;
  kind: MetricKind;
  unit: string;
  description: string;
  /** The attribute keys this instrument may carry (each from a bounded set). */
  attributes: readonly string[];
  /** Explicit bucket boundaries for histograms (in `unit`). */
  buckets?: readonly number[];
};

/** OTel's recommended boundaries for HTTP durations (seconds). */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;
/** GenAI semconv boundaries for operation durations and time to first chunk (seconds). */
const GENAI_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] as const;
/** GenAI semconv boundaries for token counts. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304] as const;
/** Chat time to first token: includes the SLO thresholds (2.5 s target, 4 s launch commitment). */
const TTFT_BUCKETS = [0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 20] as const;
/** Job queue wait and duration (seconds): includes the 30 s queue-wait SLO threshold. */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900] as const;

export const METRICS = [
  // ── HTTP (tRPC procedures and route handlers) ─────────────────────────────
  {
    name: "http.server.request.duration",
    kind: "histogram",
    unit: "s",
    description: "Duration of HTTP server requests: tRPC procedures (rpc.method = procedure) and route handlers.",
    // http.route: the route template ("/api/t/[tenantSlug]/chat", …); every tRPC procedure is
    // http.route = "/api/trpc" with rpc.system = "trpc" and rpc.method = the procedure path.
    attributes: ["http.request.method", "http.route", "http.response.status_code", "rpc.system", "rpc.method", "error.type"],
    buckets: HTTP_DURATION_BUCKETS,
  },
  // ── GenAI client (every LLM call through the gateway) ─────────────────────
  {
    name: "gen_ai.client.operation.duration",
    kind: "histogram",
    unit: "s",
    description: "Duration of a GenAI client operation (one model call, streamed or not).",
    // gen_ai.request.model is normalised to a bounded set of model families (else "other").
    attributes: ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "error.type"],
    buckets: GENAI_DURATION_BUCKETS,
  },
  {
    name: "gen_ai.client.token.usage",
    kind: "histogram",
    unit: "{token}",
    description: "Input and output tokens used per GenAI client operation.",
    attributes: ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.token.type"],
    buckets: TOKEN_BUCKETS,
  },
  {
    name: "gen_ai.client.operation.time_to_first_chunk",
    kind: "histogram",
    unit: "s",
    description: "Time from issuing a streaming GenAI request to its first chunk.",
    attributes: ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model"],
    buckets: GENAI_DURATION_BUCKETS,
  },
  // ── Chat ──────────────────────────────────────────────────────────────────
  {
    name: "ocsuite.chat.time_to_first_token",
    kind: "histogram",
    unit: "s",
    description: "What the user waits: chat turn request received to the first answer text streamed (the chat latency SLO).",
    attributes: ["ocsuite.chat.action"],
    buckets: TTFT_BUCKETS,
  },
  {
    name: "ocsuite.chat.turns",
    kind: "counter",
    unit: "{turn}",
    description: "Chat turns that reached the model, by action (send | regenerate | retry) and outcome (complete | failed | stopped); error.type is the failure reason.",
    attributes: ["ocsuite.chat.action", "ocsuite.outcome", "error.type"],
  },
  {
    name: "ocsuite.chat.turns_refused",
    kind: "counter",
    unit: "{turn}",
    description: "Chat turns refused before the model was called, by reason.",
    attributes: ["error.type"],
  },
  {
    name: "ocsuite.retrieval.failures",
    kind: "counter",
    unit: "{search}",
    description: "Grounding searches that failed or timed out (the answer went on without passages), by purpose (chat | meeting | task).",
    attributes: ["ocsuite.purpose", "error.type"],
  },
  {
    name: "ocsuite.persona.prompt_cache",
    kind: "counter",
    unit: "{lookup}",
    description: "Compiled persona prompt cache lookups, by result (hit | miss).",
    attributes: ["ocsuite.result"],
  },
  // ── Background jobs (Inngest functions; messaging semantic conventions) ───
  {
    name: "messaging.process.duration",
    kind: "histogram",
    unit: "s",
    description: "Execution time of one job request (a step or a discovery call) in the process serving the functions.",
    // messaging.system = "inngest", messaging.operation.name = "process", messaging.destination.name = function id.
    attributes: ["messaging.system", "messaging.operation.name", "messaging.destination.name", "error.type"],
    buckets: JOB_BUCKETS,
  },
  {
    name: "ocsuite.job.queue_wait",
    kind: "histogram",
    unit: "s",
    description: "Event timestamp to the first execution of a run (the queue-wait SLO).",
    attributes: ["messaging.destination.name"],
    buckets: JOB_BUCKETS,
  },
  {
    name: "ocsuite.job.runs",
    kind: "counter",
    unit: "{run}",
    description: "Finished job runs, by function and outcome (completed | failed).",
    attributes: ["messaging.destination.name", "ocsuite.outcome"],
  },
  {
    name: "ocsuite.job.failures",
    kind: "counter",
    unit: "{error}",
    description: "Job run and step errors, by function, error class and whether it was the final attempt.",
    attributes: ["messaging.destination.name", "error.type", "ocsuite.final"],
  },
  {
    name: "ocsuite.job.retries",
    kind: "counter",
    unit: "{attempt}",
    description: "Job requests that were retries (attempt > 0).",
    attributes: ["messaging.destination.name"],
  },
  {
    name: "ocsuite.job.dead_letters",
    kind: "counter",
    unit: "{run}",
    description: "Runs that failed for good and were dead-lettered.",
    attributes: ["messaging.destination.name"],
  },
  {
    name: "ocsuite.job.queue_depth",
    kind: "observableGauge",
    unit: "{item}",
    description: "Queued work per function that has not started (from the job store: the local executor's queue).",
    attributes: ["messaging.destination.name"],
  },
  {
    name: "ocsuite.job.queue_oldest_age",
    kind: "observableGauge",
    unit: "s",
    description:
      "Per function, how long the oldest due, unleased CALL item has waited since it became due (from the job store). Excludes future-scheduled retries, sleeps and throttled starts, and items held only by their own key's (a tenant's) concurrency limit; 0 when nothing qualifies.",
    attributes: ["messaging.destination.name"],
  },
  // ── Meetings, tasks ───────────────────────────────────────────────────────
  {
    name: "ocsuite.meeting.turns",
    kind: "counter",
    unit: "{turn}",
    description: "Board meeting turns, by outcome.",
    attributes: ["ocsuite.outcome"],
  },
  {
    name: "ocsuite.meeting.turn.duration",
    kind: "histogram",
    unit: "s",
    description: "Duration of one meeting turn step, by outcome.",
    attributes: ["ocsuite.outcome"],
    buckets: JOB_BUCKETS,
  },
  {
    name: "ocsuite.task.step.duration",
    kind: "histogram",
    unit: "s",
    description: "Duration of one task step attempt (plan | research | draft | review), by outcome.",
    attributes: ["ocsuite.task.step", "ocsuite.outcome"],
    buckets: JOB_BUCKETS,
  },
  {
    name: "ocsuite.task.runs",
    kind: "counter",
    unit: "{run}",
    description: "Task runs that ended, by outcome (needs_review | failed | stale) and failure reason.",
    attributes: ["ocsuite.outcome", "error.type"],
  },
  {
    name: "ocsuite.tasks.created",
    kind: "counter",
    unit: "{task}",
    description: "Tasks created, by source (manual | action_item | revision).",
    attributes: ["ocsuite.source"],
  },
  // ── Knowledge ─────────────────────────────────────────────────────────────
  {
    name: "ocsuite.retrieval.duration",
    kind: "histogram",
    unit: "s",
    description: "Knowledge retrieval time, by mode (fts | hybrid).",
    attributes: ["ocsuite.retrieval.mode"],
    buckets: HTTP_DURATION_BUCKETS,
  },
  {
    name: "ocsuite.embedding.duration",
    kind: "histogram",
    unit: "s",
    description: "Embedding calls, by provider, normalised model and outcome.",
    attributes: ["gen_ai.provider.name", "gen_ai.request.model", "ocsuite.outcome"],
    buckets: GENAI_DURATION_BUCKETS,
  },
  {
    name: "ocsuite.vector_search.available",
    kind: "gauge",
    unit: "1",
    description: "1 when the vector path (pgvector + an embeddings provider) is available, else 0.",
    attributes: [],
  },
  // ── Security, auth, audit ─────────────────────────────────────────────────
  {
    name: "ocsuite.auth.sign_ins",
    kind: "counter",
    unit: "{attempt}",
    description: "Sign-in attempts by method and result.",
    attributes: ["ocsuite.auth.method", "ocsuite.result"],
  },
  {
    name: "ocsuite.rate_limited",
    kind: "counter",
    unit: "{request}",
    description: "Requests refused by a rate limit, by limit name.",
    attributes: ["ocsuite.limit"],
  },
  {
    name: "ocsuite.admission.refused",
    kind: "counter",
    unit: "{request}",
    description: "New meetings or tasks (create, resume, retry, send back) refused because the workspace's queued + running work was at its bound (services/admission).",
    attributes: ["ocsuite.work.kind"],
  },
  {
    name: "ocsuite.audit.write_failures",
    kind: "counter",
    unit: "{event}",
    description: "Audit events that could not be written (the request itself still succeeded).",
    attributes: ["ocsuite.audit.action"],
  },
  {
    name: "ocsuite.key_rotation.failures",
    kind: "counter",
    unit: "{run}",
    description: "Key rotation runs (master key or tenant data key re-wrap) that failed.",
    attributes: ["ocsuite.key_rotation.kind"],
  },
  {
    name: "ocsuite.key_rotation.duration",
    kind: "histogram",
    unit: "s",
    description: "Wall time of a finished key-rotation phase (re-encryption through verification, or a master-key rewrap), by kind and outcome.",
    attributes: ["ocsuite.key_rotation.kind", "ocsuite.outcome"],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
  },
  {
    name: "ocsuite.key_rotation.rows",
    kind: "counter",
    unit: "{row}",
    description: "Secrets re-encrypted (data-key rotation and rollback) or data keys re-wrapped (master-key rotation).",
    attributes: ["ocsuite.key_rotation.kind"],
  },
] as const satisfies readonly MetricSpec[];

export type MetricName = (typeof METRICS)[number]["name"];

/** The Prometheus family name @opentelemetry/exporter-prometheus 0.208 gives an instrument. */
export const prometheusName = (spec: Pick<MetricSpec, "name" | "kind">): string => {
  const base = spec.name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return spec.kind === "counter" ? `${base}_total` : base;
};

/** Every series name a query may use: counters and gauges as is, histograms with _bucket/_sum/_count. */
export const exportedSeriesNames = (): Set<string> => {
  const out = new Set<string>();
  for (const m of METRICS as readonly MetricSpec[]) {
    const p = prometheusName(m);
    if (m.kind === "histogram") for (const s of ["_bucket", "_sum", "_count"]) out.add(p + s);
    else out.add(p);
  }
  return out;
};

/** Attribute key → Prometheus label name. */
export const prometheusLabel = (attribute: string): string => attribute.replace(/[^a-zA-Z0-9_]/g, "_");
