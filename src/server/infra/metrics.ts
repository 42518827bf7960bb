import "server-only";
import { metrics as otelMetrics, type Counter, type Histogram } from "@opentelemetry/api";
import client from "prom-client";
import { env } from "~/env";

// Prometheus metrics, served at /api/metrics. Names follow the OpenTelemetry
// HTTP semantic conventions translated to Prometheus (seconds, _total).
// The registry lives on globalThis so Next's module duplication between route
// bundles still feeds one registry per process.
type Metrics = ReturnType<typeof createMetrics>;
const g = globalThis as unknown as { __ocsuiteMetrics?: Metrics };

// HTTP, tRPC, auth and audit.
const httpMetrics = (registry: client.Registry) => ({
  rpcDuration: new client.Histogram({
    name: "http_server_request_duration_seconds",
    help: "Duration of tRPC procedures and API routes (OTel http.server.request.duration).",
    labelNames: ["procedure", "type", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  rpcErrors: new client.Counter({
    name: "ocsuite_rpc_errors_total",
    help: "tRPC procedures that ended in an error, by procedure and status.",
    labelNames: ["procedure", "status"] as const,
    registers: [registry],
  }),
  auditWriteFailures: new client.Counter({
    name: "ocsuite_audit_write_failures_total",
    help: "Audit events that could not be written (the request itself still succeeded).",
    labelNames: ["action"] as const,
    registers: [registry],
  }),
  signIns: new client.Counter({
    name: "ocsuite_sign_ins_total",
    help: "Sign-in attempts by method and result.",
    labelNames: ["method", "result"] as const,
    registers: [registry],
  }),
  rateLimited: new client.Counter({
    name: "ocsuite_rate_limited_total",
    help: "Requests refused by a rate limit, by limit name.",
    labelNames: ["limit"] as const,
    registers: [registry],
  }),
});

// Background jobs (Inngest functions), fed by src/server/events/telemetry.ts in
// the process that serves the functions (web or worker). tenant is "" when the
// event carries no data.tenantId.
const jobMetrics = (registry: client.Registry) => ({
  jobQueueWait: new client.Histogram({
    name: "ocsuite_job_queue_wait_seconds",
    help: "Time from an event's timestamp to the first execution of the run it started.",
    labelNames: ["function", "tenant"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  }),
  jobDuration: new client.Histogram({
    name: "ocsuite_job_duration_seconds",
    help: "Execution time of one job request (a step or a discovery), by outcome (completed | step | failed | error).",
    labelNames: ["function", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  }),
  jobRuns: new client.Counter({
    name: "ocsuite_job_runs_total",
    help: "Finished job runs by status (completed | failed).",
    labelNames: ["function", "status"] as const,
    registers: [registry],
  }),
  jobFailures: new client.Counter({
    name: "ocsuite_job_failures_total",
    help: "Job run and step errors by error class and whether the attempt was final.",
    labelNames: ["function", "error_type", "final"] as const,
    registers: [registry],
  }),
  jobRetries: new client.Counter({
    name: "ocsuite_job_retries_total",
    help: "Job requests that are retries (attempt > 0).",
    labelNames: ["function"] as const,
    registers: [registry],
  }),
  deadLetters: new client.Counter({
    name: "ocsuite_dead_letters_total",
    help: "Job runs that failed for good (retries exhausted or not retriable) and were dead-lettered.",
    labelNames: ["function"] as const,
    registers: [registry],
  }),
});

// LLM gateway (src/server/services/llm; tenant is the tenant id), persona
// prompts, and chat (src/server/services/chat: one sample per turn that reached the model).
const llmMetrics = (registry: client.Registry) => ({
  personaPromptCache: new client.Counter({
    name: "ocsuite_persona_prompt_cache_total",
    help: "Compiled persona system prompts served from the in-process cache (hit) or compiled (miss).",
    labelNames: ["result"] as const,
    registers: [registry],
  }),
  llmTokens: new client.Counter({
    name: "ocsuite_llm_tokens_total",
    help: "Tokens consumed by LLM calls, by tenant, model, outcome (ok | error | cancelled) and direction (input | output).",
    labelNames: ["tenant", "model", "outcome", "direction"] as const,
    registers: [registry],
  }),
  llmCallDuration: new client.Histogram({
    name: "ocsuite_llm_call_duration_seconds",
    help: "Duration of LLM calls from request to last token (retries included), by tenant, model and outcome (ok | error | cancelled).",
    labelNames: ["tenant", "model", "outcome"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers: [registry],
  }),
  llmTimeToFirstToken: new client.Histogram({
    name: "ocsuite_llm_time_to_first_token_seconds",
    help: "Time from the start of an LLM call to its first streamed text token, by model.",
    labelNames: ["model"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20],
    registers: [registry],
  }),
  chatTurns: new client.Counter({
    name: "ocsuite_chat_turns_total",
    help: "Chat turns by action (send | regenerate | retry), outcome (complete | failed | stopped) and failure reason (\"\" when complete).",
    labelNames: ["action", "outcome", "reason"] as const,
    registers: [registry],
  }),
  chatRetrievalFailures: new client.Counter({
    name: "ocsuite_chat_retrieval_failures_total",
    help: "Chat turns answered without document context because retrieval failed (error) or was too slow (timeout).",
    labelNames: ["reason"] as const,
    registers: [registry],
  }),
  chatTurnsRefused: new client.Counter({
    name: "ocsuite_chat_turns_refused_total",
    help: "Chat turn requests refused before the model was called, by reason (turnInProgress, rateLimited, personaDisabled, …).",
    labelNames: ["reason"] as const,
    registers: [registry],
  }),
});

// Board meetings (one sample per turn step) and tasks (one sample per step
// attempt and per finished run).
const workMetrics = (registry: client.Registry) => ({
  meetingTurns: new client.Counter({
    name: "ocsuite_meeting_turns_total",
    help: "Meeting turn steps by outcome (complete | failed | skipped: already stored by an earlier attempt or run).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  }),
  meetingTurnDuration: new client.Histogram({
    name: "ocsuite_meeting_turn_duration_seconds",
    help: "Wall time of one meeting turn step (context, retrieval, model call, storage), by outcome (complete | failed).",
    labelNames: ["outcome"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  }),
  taskSteps: new client.Histogram({
    name: "ocsuite_task_step_duration_seconds",
    help: "Duration of one task step attempt (plan | research | draft | review), by outcome (complete | failed | cancelled).",
    labelNames: ["step", "outcome"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  }),
  taskRuns: new client.Counter({
    name: "ocsuite_task_runs_total",
    help: "Task runs that ended, by outcome (needs_review | failed | stale: the task was cancelled or moved on) and failure reason (\"\" otherwise).",
    labelNames: ["outcome", "reason"] as const,
    registers: [registry],
  }),
  tasksCreated: new client.Counter({
    name: "ocsuite_tasks_created_total",
    help: "Tasks created, by source (manual | action_item), and revisions requested (source = revision).",
    labelNames: ["source"] as const,
    registers: [registry],
  }),
});

// Knowledge (src/server/services/knowledge): retrieval, embeddings and the vector store.
const knowledgeMetrics = (registry: client.Registry) => ({
  retrievalDuration: new client.Histogram({
    name: "ocsuite_retrieval_duration_seconds",
    help: "Duration of one knowledge retrieval (query embedding included), by mode (fts | hybrid).",
    labelNames: ["mode"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  embeddingDuration: new client.Histogram({
    name: "ocsuite_embedding_duration_seconds",
    help: "Duration of one embeddings call (a batch of texts), by provider, model and outcome.",
    labelNames: ["provider", "model", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }),
  vectorSearchAvailable: new client.Gauge({
    name: "ocsuite_vector_search_available",
    help: "1 when the database has pgvector and the chunk-embedding table is ready (vector retrieval on), else 0.",
    registers: [registry],
  }),
});

const createMetrics = () => {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: env.OTEL_SERVICE_NAME ?? "ocsuite-web" });
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    ...httpMetrics(registry),
    ...jobMetrics(registry),
    ...llmMetrics(registry),
    ...workMetrics(registry),
    ...knowledgeMetrics(registry),
  };
};

export const metrics: Metrics = (g.__ocsuiteMetrics ??= createMetrics());

// OpenTelemetry instruments, registered here with the Prometheus ones so every
// metric the app emits is declared in this file. Created lazily and re-created
// when the global MeterProvider changes, so a provider registered after import
// (instrumentation.ts, tests) is the one that records.
export type JobInstruments = { queueWait: Histogram; duration: Histogram; runs: Counter; failures: Counter; retries: Counter };
let jobInstruments: JobInstruments | undefined;
let jobInstrumentsProvider: unknown;
export const otelJobInstruments = (): JobInstruments => {
  const provider = otelMetrics.getMeterProvider();
  if (!jobInstruments || jobInstrumentsProvider !== provider) {
    jobInstrumentsProvider = provider;
    const m = provider.getMeter("ocsuite.jobs");
    jobInstruments = {
      queueWait: m.createHistogram("ocsuite.job.queue_wait", { unit: "s", description: "Event timestamp to first execution of a run" }),
      duration: m.createHistogram("ocsuite.job.duration", { unit: "s", description: "Execution time of one job request" }),
      runs: m.createCounter("ocsuite.job.runs", { description: "Finished runs by status" }),
      failures: m.createCounter("ocsuite.job.failures", { description: "Run and step errors by error class" }),
      retries: m.createCounter("ocsuite.job.retries", { description: "Job requests that are retries (attempt > 0)" }),
    };
  }
  return jobInstruments;
};
