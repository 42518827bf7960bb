/*
 * promtool unit tests for every SLO's burn-rate alert, written as scenarios
 * (traffic phases at a burn rate, and what must be firing when) and rendered
 * to ops/prometheus/tests/slo-alerts.test.yml. Hand-written YAML would be six
 * copies of the same cumulative-counter arithmetic; here each SLO only says
 * which raw series its good and bad events land in, so the tests feed the
 * real metric names through the real SLI PromQL.
 *
 * Arithmetic the expectations rest on (28d window, page 14.4× 1h + 5m or 6×
 * 6h + 30m, ticket 1× 3d + 6h, `for` 2m / 15m; B = when the burn starts):
 *   100× burn: 1h burn passes 14.4 after ~9 min → page by B+15m; 6h passes 1×
 *              after ~4 min → ticket (for 15m) by B+25m.
 *    10× burn: never 14.4 over 1h; 6h passes 6× after 216 min → page between
 *              B+3h and B+4h; ticket (3d and 6h past 1×) after ~1h.
 *     2× burn: never a page; ticket once 3d and 6h pass 1×.
 *   100× for 3 min: 1h peaks at 5×, 6h at 0.8×: nothing at all.
 *   100× for 1h, then clean: 32 min later the 1h and 6h windows still burn
 *              ~47× and ~17×, but both short windows (5m, 30m) are clean: the
 *              page has cleared (the ticket, on its 6h short window, stays).
 */
import { stringify } from "yaml";
import { PRODUCTION } from "./profile";
import { sloAlertRules } from "./slo-rules";
import { sloAlertName, type TOpsSpec, type TSlo } from "./slo-spec";

const WEB = 'job="ocsuite-web",instance="web-1:3000"';
const WORKER = 'job="ocsuite-worker",instance="worker-1:3030"';
const TRPC = 'http_route="/api/trpc/{procedure}",http_request_method="POST"';
const CHAT_ROUTE = 'http_route="/api/t/[tenantSlug]/chat",http_request_method="POST"';

/** Where one SLO's events land: `good` series count good events, `bad` bad ones, `all` both; `noise` grows on its own and must not matter. */
type TEventSeries = { good: string[]; bad: string[]; all: string[]; noise?: string[] };

const EVENT_SERIES: Record<string, TEventSeries> = {
  "chat-ttft": {
    good: [`ocsuite_chat_time_to_first_token_bucket{${WEB},ocsuite_chat_action="send",le="2.5"}`],
    bad: [],
    all: [`ocsuite_chat_time_to_first_token_bucket{${WEB},ocsuite_chat_action="send",le="+Inf"}`, `ocsuite_chat_time_to_first_token_count{${WEB},ocsuite_chat_action="send"}`],
  },
  "chat-success": {
    good: [`ocsuite_chat_turns_total{${WEB},ocsuite_chat_action="send",ocsuite_outcome="complete"}`],
    bad: [`ocsuite_chat_turns_total{${WEB},ocsuite_chat_action="send",ocsuite_outcome="failed",error_type="providerUnavailable"}`],
    all: [],
  },
  "api-availability": {
    good: [`http_server_request_duration_count{${WEB},${TRPC},http_response_status_code="200"}`],
    bad: [`http_server_request_duration_count{${WEB},${TRPC},http_response_status_code="503"}`],
    all: [],
  },
  "api-latency": {
    good: [`http_server_request_duration_bucket{${WEB},${TRPC},http_response_status_code="200",le="1"}`],
    bad: [],
    all: [`http_server_request_duration_bucket{${WEB},${TRPC},http_response_status_code="200",le="+Inf"}`, `http_server_request_duration_count{${WEB},${TRPC},http_response_status_code="200"}`],
    // Streamed chat turns take longer than 1 s by design and are excluded from the SLI.
    noise: [`http_server_request_duration_bucket{${WEB},${CHAT_ROUTE},http_response_status_code="200",le="+Inf"}`, `http_server_request_duration_count{${WEB},${CHAT_ROUTE},http_response_status_code="200"}`],
  },
  "job-success": {
    good: [`ocsuite_job_runs_total{${WORKER},messaging_destination_name="run-meeting",ocsuite_outcome="completed"}`],
    bad: [`ocsuite_job_runs_total{${WORKER},messaging_destination_name="run-meeting",ocsuite_outcome="failed"}`],
    all: [],
  },
  "queue-wait": {
    good: [`ocsuite_job_queue_wait_bucket{${WORKER},messaging_destination_name="run-meeting",le="30"}`],
    bad: [],
    all: [`ocsuite_job_queue_wait_bucket{${WORKER},messaging_destination_name="run-meeting",le="+Inf"}`, `ocsuite_job_queue_wait_count{${WORKER},messaging_destination_name="run-meeting"}`],
  },
};

/** A stretch of traffic: `minutes` long, at `burn` × the SLO's allowed error ratio. */
type TPhase = { minutes: number; burn: number };
const EVENTS_PER_MIN = 1000;

/** Cumulative counter values, one a minute from t=0, in promtool's `a+bxn` notation (runs of equal increments). */
const counter = (phases: TPhase[], perMinute: (p: TPhase) => number): string => {
  const values = [0];
  for (const p of phases) for (let i = 0; i < p.minutes; i++) values.push(Number(((values.at(-1) ?? 0) + perMinute(p)).toFixed(6)));
  const segments: string[] = [];
  let start = 0;
  while (start < values.length) {
    const delta = start + 1 < values.length ? Number(((values[start + 1] ?? 0) - (values[start] ?? 0)).toFixed(6)) : 0;
    let end = start;
    while (end + 1 < values.length && Number(((values[end + 1] ?? 0) - (values[end] ?? 0)).toFixed(6)) === delta) end++;
    segments.push(`${values[start]}+${delta}x${end - start}`);
    start = end + 1;
  }
  return segments.join(" ");
};

const inputSeries = (slo: TSlo, phases: TPhase[]) => {
  const badShare = (p: TPhase) => Math.min(1, p.burn * (1 - slo.objective));
  const bad = (p: TPhase) => EVENTS_PER_MIN * badShare(p);
  const good = (p: TPhase) => EVENTS_PER_MIN - bad(p);
  const ev = EVENT_SERIES[slo.name];
  if (!ev) throw new Error(`slo-scenarios: no event series for SLO "${slo.name}"; add it to EVENT_SERIES`);
  return [
    ...ev.good.map((series) => ({ series, values: counter(phases, good) })),
    ...ev.bad.map((series) => ({ series, values: counter(phases, bad) })),
    ...ev.all.map((series) => ({ series, values: counter(phases, () => EVENTS_PER_MIN) })),
    ...(ev.noise ?? []).map((series) => ({ series, values: counter(phases, () => EVENTS_PER_MIN / 2) })),
  ];
};

type TSeverity = "page" | "ticket";
type TCheck = { at: number; firing: TSeverity[] };
type TExprCheck = { at: number; expr: string; value: number };
type TScenario = { name: string; phases: TPhase[]; checks: TCheck[]; exprs?: (slo: TSlo) => TExprCheck[] };

const B6H = 360;

/** `lo < expr < hi` as a 0/1 sample: promtool compares values exactly, recorded ratios are approximate. */
const within = (expr: string, lo: number, hi: number) => `(${expr} > bool ${lo}) * (${expr} < bool ${hi})`;
const burnOf = (slo: TSlo, w: string) => `slo:sli_error:ratio_rate${w}{slo="${slo.name}"} / (1 - ${slo.objective})`;

const SCENARIOS: TScenario[] = [
  {
    name: "100× burn pages within 15 minutes and tickets after 15 more",
    phases: [{ minutes: B6H, burn: 0 }, { minutes: 30, burn: 100 }],
    checks: [{ at: B6H, firing: [] }, { at: B6H + 5, firing: [] }, { at: B6H + 15, firing: ["page"] }, { at: B6H + 28, firing: ["page", "ticket"] }],
  },
  {
    name: "10× burn pages through the 6h/30m pair (never the 1h one), after a ticket",
    phases: [{ minutes: B6H, burn: 0 }, { minutes: 240, burn: 10 }],
    checks: [{ at: B6H + 20, firing: [] }, { at: B6H + 180, firing: ["ticket"] }, { at: B6H + 240, firing: ["page", "ticket"] }],
  },
  {
    name: "2× burn is a ticket, never a page; recorded ratios and budget",
    phases: [{ minutes: 60, burn: 0 }, { minutes: 180, burn: 2 }],
    checks: [{ at: 90, firing: [] }, { at: 180, firing: ["ticket"] }, { at: 240, firing: ["ticket"] }],
    // After 1h clean and 3h at 2×, the budget window has seen 1.5× the allowed
    // ratio: half a budget overspent (the window holds only these 4 hours).
    exprs: (slo) => [
      { at: 240, expr: within(`slo:error_budget:remaining_ratio{slo="${slo.name}"}`, -0.6, -0.4), value: 1 },
      { at: 240, expr: within(burnOf(slo, "1h"), 1.9, 2.1), value: 1 },
      { at: 240, expr: within(`slo:objective:ratio{slo="${slo.name}"}`, slo.objective - 1e-9, slo.objective + 1e-9), value: 1 },
    ],
  },
  {
    name: "a 3-minute total burst (100×) pages nothing and tickets nothing",
    phases: [{ minutes: B6H, burn: 0 }, { minutes: 3, burn: 100 }, { minutes: 60, burn: 0 }],
    checks: [{ at: B6H + 3, firing: [] }, { at: B6H + 6, firing: [] }, { at: B6H + 30, firing: [] }, { at: B6H + 63, firing: [] }],
  },
  {
    name: "a recovered burn clears the page within the short window while the long one still burns",
    phases: [{ minutes: B6H, burn: 0 }, { minutes: 60, burn: 100 }, { minutes: 40, burn: 0 }],
    // 8 min after: the 1h/5m pair has reset, the 6h/30m pair still holds (22 of its 30 min burnt).
    // 32 min after: both short windows are clean; both long ones still burn far past their factor.
    checks: [{ at: B6H + 30, firing: ["page", "ticket"] }, { at: B6H + 68, firing: ["page", "ticket"] }, { at: B6H + 92, firing: ["ticket"] }],
    exprs: (slo) => [
      { at: B6H + 92, expr: within(burnOf(slo, "1h"), 14.4, 100), value: 1 },
      { at: B6H + 92, expr: within(burnOf(slo, "6h"), 6, 100), value: 1 },
    ],
  },
];

/** One promtool test file per SLO (file name → YAML), so a failure names its SLO and files can run in parallel. */
export const sloScenarioTests = (spec: TOpsSpec): Record<string, string> => {
  const alerts = sloAlertRules(spec, PRODUCTION).flatMap((g) => g.rules);
  const expected = (slo: TSlo, severity: TSeverity) => {
    const rule = alerts.find((r) => "alert" in r && r.labels.slo === slo.name && r.labels.severity === severity);
    if (!rule || !("alert" in rule)) throw new Error(`slo-scenarios: no ${severity} alert for ${slo.name} in the spec's policy`);
    return { exp_labels: { severity, slo: slo.name }, exp_annotations: rule.annotations };
  };
  const testsOf = (slo: TSlo) =>
    SCENARIOS.map((s) => {
      const exprTests = s.exprs?.(slo) ?? [];
      return {
        name: `${slo.name}: ${s.name}`,
        interval: "1m",
        input_series: inputSeries(slo, s.phases),
        alert_rule_test: s.checks.map((c) => ({
          eval_time: `${c.at}m`,
          alertname: sloAlertName(slo),
          exp_alerts: c.firing.map((sev) => expected(slo, sev)),
        })),
        ...(exprTests.length > 0
          ? { promql_expr_test: exprTests.map((e) => ({ expr: e.expr, eval_time: `${e.at}m`, exp_samples: [{ labels: `{slo="${slo.name}"}`, value: e.value }] })) }
          : {}),
      };
    });
  const head = (slo: TSlo) =>
    [
      "# GENERATED by scripts/ops/generate.ts from the scenarios in scripts/ops/slo-scenarios.ts — do not edit by hand.",
      `# promtool test rules for ${sloAlertName(slo)} (SLO ${slo.name}): it pages and tickets when it should, stays`,
      "# silent when it should not, and clears when the burn stops. Run: promtool test rules ops/prometheus/tests/*.yml",
      "",
    ].join("\n");
  return Object.fromEntries(
    spec.slos.map((slo) => [
      `slo-${slo.name}.test.yml`,
      head(slo) + stringify({ rule_files: ["../rules/slo-recording.yml", "../rules/slo-alerts.yml"], evaluation_interval: "1m", tests: testsOf(slo) }, { lineWidth: 0, aliasDuplicateObjects: false }),
    ]),
  );
};
