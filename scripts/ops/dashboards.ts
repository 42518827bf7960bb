/*
 * The Grafana dashboards, as data: service health, queues, LLM, SLOs and
 * error budget (one row per SLO of the spec), tenant usage. Every PromQL here
 * is checked against the metric catalogue by tests/ops/promql-catalogue.test.ts,
 * the SQL against prisma/schema.prisma.
 */
import { dashboard, row, sqlPanel, stat, table, text, timeseries, type TQuery } from "./grafana";
import { costExpr, priceTableMarkdown } from "./llm-prices";
import { sloAlertName, type TOpsSpec } from "./slo-spec";
import { SCRAPE_JOBS } from "./symptom-rules";

const RI = "$__rate_interval";
const rate = (series: string, by: string) => `sum by (${by}) (rate(${series}[${RI}]))`;
const quantile = (q: number, bucket: string, by: string): TQuery => ({
  expr: `histogram_quantile(${q}, sum by (le, ${by}) (rate(${bucket}[${RI}])))`,
  legend: `p${q * 100} ${by
    .split(", ")
    .map((l) => `{{${l}}}`)
    .join(" ")}`,
});

const serviceHealth = () =>
  dashboard({
    uid: "ocsuite-service-health",
    title: "OC Suite / Service health",
    description: "HTTP traffic, errors and latency per route (tRPC procedures and route handlers) from /api/metrics, plus scrape health, rate limits, sign-ins and audit writes.",
    tags: ["service"],
    panels: [
      row("Routes"),
      timeseries("Requests per second by route", [{ expr: rate("http_server_request_duration_count", "http_route"), legend: "{{http_route}}" }], { unit: "reqps" }),
      timeseries(
        "Server error rate (5xx) by route",
        [
          {
            expr: `${rate('http_server_request_duration_count{http_response_status_code=~"5.."}', "http_route")} / ${rate("http_server_request_duration_count", "http_route")}`,
            legend: "{{http_route}}",
          },
        ],
        { unit: "percentunit", description: "Share of requests answered 5xx: what the api-availability SLO counts." },
      ),
      timeseries("p95 latency by route", [quantile(0.95, "http_server_request_duration_bucket", "http_route")], { unit: "s", thresholds: [{ color: "green", value: null }, { color: "red", value: 1 }] }),
      timeseries("p50 latency by route", [quantile(0.5, "http_server_request_duration_bucket", "http_route")], { unit: "s" }),
      timeseries("Errors by type", [{ expr: rate('http_server_request_duration_count{error_type!=""}', "error_type"), legend: "{{error_type}}" }], { unit: "reqps" }),
      timeseries("tRPC procedures: requests per second", [{ expr: rate('http_server_request_duration_count{rpc_system!=""}', "rpc_method"), legend: "{{rpc_method}}" }], { unit: "reqps" }),
      row("Platform"),
      stat("Scrape targets up", [{ expr: `sum by (job) (up{job=~"${SCRAPE_JOBS.join("|")}"})`, legend: "{{job}}" }], {
        w: 8,
        thresholds: [{ color: "red", value: null }, { color: "green", value: 1 }],
      }),
      stat("Audit write failures (range)", [{ expr: "sum(increase(ocsuite_audit_write_failures_total[$__range]))", legend: "failures" }], {
        w: 8,
        thresholds: [{ color: "green", value: null }, { color: "red", value: 1 }],
        description: "Any value above 0 is the AuditWriteFailures page.",
      }),
      stat("Key rotation failures (range)", [{ expr: "sum(increase(ocsuite_key_rotation_failures_total[$__range]))", legend: "failures" }], {
        w: 8,
        thresholds: [{ color: "green", value: null }, { color: "red", value: 1 }],
      }),
      timeseries("Key rotation: rows re-encrypted / data keys re-wrapped", [{ expr: rate("ocsuite_key_rotation_rows_total", "ocsuite_key_rotation_kind"), legend: "{{ocsuite_key_rotation_kind}}" }], {
        unit: "ops",
        description: "Tenant data-key rotations and rollbacks (rows) and master-key rewraps (data keys). Fleet status: /en/admin/keys.",
      }),
      timeseries("Rate-limited requests by limit", [{ expr: rate("ocsuite_rate_limited_total", "ocsuite_limit"), legend: "{{ocsuite_limit}}" }], { unit: "reqps" }),
      timeseries("Sign-ins by method and result", [{ expr: rate("ocsuite_auth_sign_ins_total", "ocsuite_auth_method, ocsuite_result"), legend: "{{ocsuite_auth_method}} {{ocsuite_result}}" }], { unit: "ops" }),
    ],
  });

const fn = "messaging_destination_name";

const queues = () =>
  dashboard({
    uid: "ocsuite-queues",
    title: "OC Suite / Background jobs and queues",
    description: "Inngest functions (messaging.destination.name = function id): queue depth, queue wait, runs, failures, retries and dead letters. Dead letters are handled in /en/admin/jobs.",
    tags: ["jobs"],
    panels: [
      row("Queue"),
      timeseries("Queue depth by function", [{ expr: `max by (${fn}) (ocsuite_job_queue_depth)`, legend: `{{${fn}}}` }], {
        description: "Items waiting to start, from the job store. max, not sum: every process serving the functions reports the same store-wide depth. JobQueueDepthHigh fires above 100 for 15 min.",
        thresholds: [{ color: "green", value: null }, { color: "red", value: 100 }],
      }),
      timeseries("Queue wait p95 by function", [quantile(0.95, "ocsuite_job_queue_wait_bucket", fn)], { unit: "s", thresholds: [{ color: "green", value: null }, { color: "red", value: 30 }] }),
      timeseries("Runs by function and outcome", [{ expr: rate("ocsuite_job_runs_total", `${fn}, ocsuite_outcome`), legend: `{{${fn}}} {{ocsuite_outcome}}` }], { unit: "ops" }),
      timeseries("Step duration p95 by function", [quantile(0.95, "messaging_process_duration_bucket", fn)], { unit: "s" }),
      row("Failures"),
      timeseries("Failures by function and error type", [{ expr: rate("ocsuite_job_failures_total", `${fn}, error_type, ocsuite_final`), legend: `{{${fn}}} {{error_type}} final={{ocsuite_final}}` }], { unit: "ops" }),
      timeseries("Retries by function", [{ expr: rate("ocsuite_job_retries_total", fn), legend: `{{${fn}}}` }], { unit: "ops" }),
      timeseries("Dead letters by function (per interval)", [{ expr: `sum by (${fn}) (increase(ocsuite_job_dead_letters_total[${RI}]))`, legend: `{{${fn}}}` }], {
        description: "Runs that exhausted their retries. Replay or discard them in /en/admin/jobs.",
      }),
      table("Dead letters by function (time range)", [{ expr: `sum by (${fn}) (increase(ocsuite_job_dead_letters_total[$__range]))`, legend: `{{${fn}}}` }]),
      row("Meetings and tasks"),
      timeseries("Meeting turns by outcome", [{ expr: rate("ocsuite_meeting_turns_total", "ocsuite_outcome"), legend: "{{ocsuite_outcome}}" }], { unit: "ops" }),
      timeseries("Task step duration p95 by step", [quantile(0.95, "ocsuite_task_step_duration_bucket", "ocsuite_task_step")], { unit: "s" }),
      timeseries("Task runs by outcome", [{ expr: rate("ocsuite_task_runs_total", "ocsuite_outcome, error_type"), legend: "{{ocsuite_outcome}} {{error_type}}" }], { unit: "ops" }),
      timeseries("Meeting turn duration p95", [quantile(0.95, "ocsuite_meeting_turn_duration_bucket", "ocsuite_outcome")], { unit: "s" }),
    ],
  });

const model = "gen_ai_provider_name, gen_ai_request_model";

const llm = () =>
  dashboard({
    uid: "ocsuite-llm",
    title: "OC Suite / LLM calls",
    description:
      "Every model call through the gateway (GenAI semantic conventions; gen_ai.request.model is the normalised model family). The cost panels are estimates from the per-1k-token price table in scripts/ops/llm-prices.ts, shown below.",
    tags: ["llm"],
    panels: [
      row("Tokens and cost"),
      timeseries("Tokens per second by provider, model and type", [{ expr: rate("gen_ai_client_token_usage_sum", `${model}, gen_ai_token_type`), legend: "{{gen_ai_provider_name}} {{gen_ai_request_model}} {{gen_ai_token_type}}" }]),
      timeseries("Estimated cost per hour by model (USD)", [{ expr: costExpr("1h"), legend: "{{gen_ai_request_model}}" }], { unit: "currencyUSD", description: "Tokens × list price; see the price table." }),
      stat("Estimated cost in range (USD)", [{ expr: `sum(${costExpr("$__range")})`, legend: "USD" }], { unit: "currencyUSD", w: 8 }),
      table("Estimated cost in range by provider (USD)", [{ expr: costExpr("$__range", "gen_ai_provider_name"), legend: "{{gen_ai_provider_name}}" }], { unit: "currencyUSD", w: 16, h: 4 }),
      text("Price table (USD per 1k tokens, list prices; edit scripts/ops/llm-prices.ts and run npm run ops:generate)", priceTableMarkdown(), { h: 10 }),
      row("Errors and latency"),
      timeseries("Errors by provider and type", [{ expr: rate('gen_ai_client_operation_duration_count{error_type!=""}', "gen_ai_provider_name, error_type"), legend: "{{gen_ai_provider_name}} {{error_type}}" }], { unit: "ops" }),
      timeseries(
        "Error ratio by provider",
        [{ expr: `${rate('gen_ai_client_operation_duration_count{error_type!=""}', "gen_ai_provider_name")} / ${rate("gen_ai_client_operation_duration_count", "gen_ai_provider_name")}`, legend: "{{gen_ai_provider_name}}" }],
        { unit: "percentunit", thresholds: [{ color: "green", value: null }, { color: "red", value: 0.25 }] },
      ),
      timeseries("Time to first chunk p50 / p95 by provider and model", [quantile(0.5, "gen_ai_client_operation_time_to_first_chunk_bucket", model), quantile(0.95, "gen_ai_client_operation_time_to_first_chunk_bucket", model)], { unit: "s" }),
      timeseries(
        "Chat time to first token p50 / p95 (what the user waits)",
        [quantile(0.5, "ocsuite_chat_time_to_first_token_bucket", "ocsuite_chat_action"), quantile(0.95, "ocsuite_chat_time_to_first_token_bucket", "ocsuite_chat_action")],
        { unit: "s", thresholds: [{ color: "green", value: null }, { color: "red", value: 2.5 }] },
      ),
      timeseries("Operation duration p95 by provider and model", [quantile(0.95, "gen_ai_client_operation_duration_bucket", model)], { unit: "s" }),
      timeseries("Chat turns by outcome", [{ expr: rate("ocsuite_chat_turns_total", "ocsuite_chat_action, ocsuite_outcome"), legend: "{{ocsuite_chat_action}} {{ocsuite_outcome}}" }], { unit: "ops" }),
      timeseries("Chat turns refused before the model, by reason", [{ expr: rate("ocsuite_chat_turns_refused_total", "error_type"), legend: "{{error_type}}" }], { unit: "ops" }),
      timeseries("Grounding search failures by purpose", [{ expr: rate("ocsuite_retrieval_failures_total", "ocsuite_purpose, error_type"), legend: "{{ocsuite_purpose}} {{error_type}}" }], { unit: "ops" }),
      timeseries("Retrieval p95 by mode", [quantile(0.95, "ocsuite_retrieval_duration_bucket", "ocsuite_retrieval_mode")], { unit: "s" }),
      timeseries("Embedding p95 by provider", [quantile(0.95, "ocsuite_embedding_duration_bucket", "gen_ai_provider_name")], { unit: "s" }),
      timeseries("Persona prompt cache hit ratio", [{ expr: `sum(rate(ocsuite_persona_prompt_cache_total{ocsuite_result="hit"}[${RI}])) / sum(rate(ocsuite_persona_prompt_cache_total[${RI}]))`, legend: "hit ratio" }], { unit: "percentunit", min: 0, max: 1 }),
      stat("Vector search available", [{ expr: "min(ocsuite_vector_search_available)", legend: "available" }], { thresholds: [{ color: "red", value: null }, { color: "green", value: 1 }] }),
    ],
  });

const slos = (spec: TOpsSpec) =>
  dashboard({
    uid: "ocsuite-slos",
    title: "OC Suite / SLOs and error budget",
    description: `One row per SLO of ops/slo/slos.yaml (${spec.window} window): error budget remaining, the SLI, and burn rates against the alert thresholds. Generated: edit the spec, run npm run ops:generate.`,
    tags: ["slo"],
    time: "now-7d",
    panels: [
      table("Error budget remaining, every SLO", [{ expr: "slo:error_budget:remaining_ratio", legend: "{{slo}}" }], { unit: "percentunit", w: 24, h: 7 }),
      ...spec.slos.flatMap((s) => {
        const sel = (r: string) => `${r}{slo="${s.name}"}`;
        const burn = (w: string): TQuery => ({ expr: `${sel(`slo:sli_error:ratio_rate${w}`)} / (1 - ${s.objective})`, legend: `burn ${w}` });
        const factors = [...new Set(spec.burn_rate_alerts.flatMap((a) => a.windows.map((w) => w.factor)))].sort((a, b) => a - b);
        const policy = spec.burn_rate_alerts.map((a) => `${a.severity} at ${a.windows.map((w) => `${w.factor}× (${w.long}/${w.short})`).join(" or ")}`).join("; ");
        return [
          row(`${s.title} — ${s.objective * 100}% (alert ${sloAlertName(s)})`),
          stat("Error budget remaining", [{ expr: sel("slo:error_budget:remaining_ratio"), legend: "remaining" }], {
            unit: "percentunit",
            description: s.description,
            thresholds: [{ color: "red", value: null }, { color: "orange", value: 0 }, { color: "green", value: 0.25 }],
          }),
          stat(`SLI over ${spec.window}`, [{ expr: `1 - ${sel(`slo:sli_error:ratio_rate${spec.window}`)}`, legend: "SLI" }], {
            unit: "percentunit",
            thresholds: [{ color: "red", value: null }, { color: "green", value: s.objective }],
          }),
          timeseries("Burn rate (1 = budget lasts exactly the window)", ["1h", "6h", "3d"].map(burn), {
            description: `Alerts: ${policy} — long window / confirming short window.`,
            thresholds: [{ color: "green", value: null }, ...factors.map((f) => ({ color: f === 1 ? "orange" : "red", value: f }))],
          }),
          timeseries("Error budget remaining over time", [{ expr: sel("slo:error_budget:remaining_ratio"), legend: "remaining" }], { unit: "percentunit", w: 24, h: 6 }),
        ];
      }),
    ],
  });

/** The same rows as /en/admin/usage (src/server/services/admin/usage.ts), per tenant and day. Identifiers are quoted: Prisma's table and column names are camel-case. */
const TENANT_TOKENS_SQL = `SELECT $__timeGroupAlias(c."createdAt", '1d'), t."slug" AS metric, SUM(COALESCE(c."inputTokens", 0) + COALESCE(c."outputTokens", 0)) AS value
FROM "LlmCall" c JOIN "Tenant" t ON t."id" = c."tenantId"
WHERE $__timeFilter(c."createdAt")
GROUP BY 1, 2 ORDER BY 1`;

const TENANT_CALLS_SQL = `SELECT $__timeGroupAlias(c."createdAt", '1d'), t."slug" AS metric, COUNT(*) AS value
FROM "LlmCall" c JOIN "Tenant" t ON t."id" = c."tenantId"
WHERE $__timeFilter(c."createdAt")
GROUP BY 1, 2 ORDER BY 1`;

const TENANT_TOP_SQL = `SELECT t."slug" AS tenant, t."plan" AS plan, COUNT(*) AS calls,
  SUM(COALESCE(c."inputTokens", 0)) AS input_tokens, SUM(COALESCE(c."outputTokens", 0)) AS output_tokens,
  ROUND(100.0 * SUM(CASE WHEN c."status" = 'error' THEN 1 ELSE 0 END) / COUNT(*), 2) AS error_pct,
  PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY c."timeToFirstTokenMs") AS ttft_p95_ms
FROM "LlmCall" c JOIN "Tenant" t ON t."id" = c."tenantId"
WHERE $__timeFilter(c."createdAt")
GROUP BY t."slug", t."plan" ORDER BY calls DESC LIMIT 50`;

const tenantUsage = () =>
  dashboard({
    uid: "ocsuite-tenant-usage",
    title: "OC Suite / Tenant usage",
    description:
      "Per-tenant figures are NOT metrics: metric labels never carry a tenant id (unbounded cardinality, and tenant names would leak into every metrics backend). These panels query the LlmCall table through a PostgreSQL datasource (DS_POSTGRES, a read-only replica role with SELECT on \"LlmCall\" and \"Tenant\"); the same rows feed the in-product usage page /en/admin/usage.",
    tags: ["tenants"],
    postgres: true,
    time: "now-30d",
    panels: [
      text(
        "Where these numbers come from",
        "Per-tenant usage comes from the database, not from Prometheus: the `LlmCall` table (one row per model call, written by the gateway), queried through the **DS_POSTGRES** datasource. Point it at a read replica with a read-only role. Platform admins see the same figures in the product at `/en/admin/usage`. Fleet-wide token and cost trends are on the *OC Suite / LLM calls* dashboard.",
      ),
      sqlPanel("Tokens per tenant per day", TENANT_TOKENS_SQL, { format: "time_series" }),
      sqlPanel("Model calls per tenant per day", TENANT_CALLS_SQL, { format: "time_series" }),
      sqlPanel("Top tenants in range", TENANT_TOP_SQL, { format: "table", w: 24, h: 10 }),
    ],
  });

/** Every dashboard, keyed by its file name under ops/grafana/dashboards/. */
export const dashboards = (spec: TOpsSpec): Record<string, unknown> => ({
  "service-health.json": serviceHealth(),
  "queues.json": queues(),
  "llm.json": llm(),
  "slos.json": slos(spec),
  "tenant-usage.json": tenantUsage(),
});
