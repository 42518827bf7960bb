/*
 * The SLO half of the Prometheus rules, from ops/slo/slos.yaml:
 *
 *   slo:sli_error:ratio_rate<w>   the error ratio (1 − good/total) over every
 *                                 window an alert reads (5m … 3d), from the raw SLI
 *   slo:sli_error:rate5m,         bad and all events per second over 5m: the
 *   slo:sli_total:rate5m          inputs of the budget window
 *   slo:sli_error:ratio_rate28d   the error ratio over the SLO window, as
 *                                 sum_over_time of those two — a raw 28d range
 *                                 over histogram buckets every minute would read
 *                                 tens of millions of samples (past Prometheus's
 *                                 default query.max-samples); the sums read one
 *                                 series each and stay traffic-weighted
 *   slo:objective:ratio           the objective, for dashboards
 *   slo:error_budget:remaining_ratio  1 − spent/allowed over the SLO window
 *
 * and one multi-window multi-burn-rate alert per SLO (SRE Workbook ch. 5), one
 * rule per severity of the spec's policy, sharing the alert name so one
 * runbook covers the SLO and Alertmanager's inhibition can pair a page with
 * its ticket.
 */
import { runbookUrl, scaled, type TAlertRule, type TProfile, type TRecordingRule, type TRuleGroup } from "./profile";
import { alertWindows, sloAlertName, type TBurnAlert, type TOpsSpec, type TSlo } from "./slo-spec";

const sli = (query: string, window: string) => query.replaceAll("{{window}}", window);

/**
 * `good or vector(0)`: when every event is bad, the "good" series may not exist
 * at all (a counter is exported only once incremented) and good/total would be
 * empty, silencing the alert during a total outage. The SLIs are label-free
 * sums, so vector(0) matches them.
 */
const errorRatio = (slo: TSlo, window: string) => `1 - ((${sli(slo.good, window)}) or vector(0)) / (${sli(slo.total, window)})`;

const sel = (record: string, slo: TSlo) => `${record}{slo="${slo.name}"}`;

/** The burn-rate divisor as PromQL: `(1 - 0.99)` reads as the budget it is. */
const budget = (slo: TSlo) => `(1 - ${slo.objective})`;

export const sloRecordingRules = (spec: TOpsSpec, profile: TProfile): TRuleGroup[] =>
  spec.slos.map((slo) => {
    const labels = { slo: slo.name };
    const ratios: TRecordingRule[] = alertWindows(spec).map((w) => ({
      record: `slo:sli_error:ratio_rate${w}`,
      expr: errorRatio(slo, scaled(profile, w)),
      labels,
    }));
    const w5 = scaled(profile, "5m");
    const win = scaled(profile, spec.window);
    const rules: TRecordingRule[] = [
      ...ratios,
      { record: "slo:sli_error:rate5m", expr: `(${sli(slo.total, w5)}) - ((${sli(slo.good, w5)}) or vector(0))`, labels },
      { record: "slo:sli_total:rate5m", expr: sli(slo.total, w5), labels },
      {
        record: `slo:sli_error:ratio_rate${spec.window}`,
        expr: `sum_over_time(${sel("slo:sli_error:rate5m", slo)}[${win}]) / sum_over_time(${sel("slo:sli_total:rate5m", slo)}[${win}])`,
        labels,
      },
      { record: "slo:objective:ratio", expr: `vector(${slo.objective})`, labels },
      { record: "slo:error_budget:remaining_ratio", expr: `1 - ${sel(`slo:sli_error:ratio_rate${spec.window}`, slo)} / ${budget(slo)}`, labels },
    ];
    return { name: `slo-${slo.name}-recording`, rules };
  });

const pct = (objective: number) => `${Number((objective * 100).toFixed(3))}%`;

const policyText = (policy: TBurnAlert) =>
  policy.windows.map((w, i) => `${i === 0 ? "more than" : "or more than"} ${w.factor}× the sustainable rate over both ${w.long} and ${w.short}`).join(", ");

const burnAlert = (spec: TOpsSpec, slo: TSlo, policy: TBurnAlert, profile: TProfile): TAlertRule => {
  const alert = sloAlertName(slo);
  const expr = policy.windows
    .map((w) => {
      const long = `${sel(`slo:sli_error:ratio_rate${w.long}`, slo)} / ${budget(slo)} > ${w.factor}`;
      const short = `${sel(`slo:sli_error:ratio_rate${w.short}`, slo)} / ${budget(slo)} > ${w.factor}`;
      return `(${long} and ${short})`;
    })
    .join(" or ");
  const urgency =
    policy.severity === "page"
      ? "At this rate the budget is gone in days, not weeks: act now."
      : "The budget will run out before the window ends if this continues: fix it this week.";
  return {
    alert,
    expr,
    for: scaled(profile, policy.for),
    labels: { severity: policy.severity, slo: slo.name },
    annotations: {
      summary: `${slo.title}: error budget burning too fast (${policy.severity})`,
      description:
        `${slo.title} is spending its ${spec.window} error budget too fast for the ${policy.severity} policy: ${policyText(policy)}. ` +
        `Objective ${pct(slo.objective)}: ${slo.description} ${urgency} Current burn rates: Grafana "OC Suite / SLOs and error budget".`,
      runbook_url: runbookUrl(profile, alert),
    },
  };
};

export const sloAlertRules = (spec: TOpsSpec, profile: TProfile): TRuleGroup[] =>
  spec.slos.map((slo) => ({
    name: `slo-${slo.name}-alerts`,
    rules: spec.burn_rate_alerts.map((policy) => burnAlert(spec, slo, policy, profile)),
  }));
