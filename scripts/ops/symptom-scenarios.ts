/*
 * promtool unit tests for the symptom alerts (symptom-rules.ts), rendered to
 * ops/prometheus/tests/symptom-alerts.test.yml. Each scenario is raw series
 * (promtool's notation, one sample a minute: `_x3` three missing samples,
 * `1x9` ten samples of 1, `0+4x30` a ramp) and what must be firing when; the
 * expected annotations are the rule's own, with `$labels` filled in, so the
 * scenarios state behaviour only.
 */
import { stringify } from "yaml";
import { PRODUCTION, type TAlertRule } from "./profile";
import { symptomAlertRules } from "./symptom-rules";

const W1 = 'job="ocsuite-web",instance="web-1:3000"';
const W2 = 'job="ocsuite-web",instance="web-2:3000"';
const K1 = 'job="ocsuite-worker",instance="worker-1:3030"';
const K2 = 'job="ocsuite-worker",instance="worker-2:3030"';

type TLabels = Record<string, string> & { severity: "page" | "ticket" };
type TCheck = { at: number; alert: string; firing: TLabels[] };
type TScenario = { name: string; series: Record<string, string>; checks: TCheck[] };

const fn = (name: string, severity: TLabels["severity"]): TLabels => ({ severity, messaging_destination_name: name });

const scenarios = (): TScenario[] => [
  {
    name: "DeadLettersGrowing: the first dead letter ever tickets at once, clears after an hour, a second one reopens it",
    series: {
      [`up{${K1}}`]: "1x240",
      [`ocsuite_job_dead_letters_total{${K1},messaging_destination_name="tasks-run-task"}`]: "_x90 1x69 2x80",
    },
    checks: [
      { at: 89, alert: "DeadLettersGrowing", firing: [] },
      { at: 91, alert: "DeadLettersGrowing", firing: [fn("tasks-run-task", "ticket")] },
      { at: 149, alert: "DeadLettersGrowing", firing: [fn("tasks-run-task", "ticket")] },
      { at: 155, alert: "DeadLettersGrowing", firing: [] },
      { at: 161, alert: "DeadLettersGrowing", firing: [fn("tasks-run-task", "ticket")] },
      { at: 225, alert: "DeadLettersGrowing", firing: [] },
    ],
  },
  {
    name: "DeadLettersGrowing: 20 in 10 minutes on one function pages; 3 on another only tickets",
    series: {
      [`up{${K1}}`]: "1x120",
      [`ocsuite_job_dead_letters_total{${K1},messaging_destination_name="knowledge-ingest-document"}`]: "0x60 2+2x9 20x50",
      [`ocsuite_job_dead_letters_total{${K1},messaging_destination_name="run-meeting"}`]: "0x60 1 2 3x57",
    },
    checks: [
      { at: 60, alert: "DeadLettersGrowing", firing: [] },
      {
        at: 72,
        alert: "DeadLettersGrowing",
        firing: [fn("knowledge-ingest-document", "page"), fn("knowledge-ingest-document", "ticket"), fn("run-meeting", "ticket")],
      },
      { at: 90, alert: "DeadLettersGrowing", firing: [fn("knowledge-ingest-document", "ticket"), fn("run-meeting", "ticket")] },
    ],
  },
  {
    name: "AuditWriteFailures: the first failure pages at once and clears after 5 minutes; an increase pages again; a counter already non-zero when Prometheus starts does not",
    series: {
      [`up{${W1}}`]: "1x60",
      [`up{${W2}}`]: "1x60",
      [`ocsuite_audit_write_failures_total{${W1},ocsuite_audit_action="member.invited"}`]: "_x20 1x10 2x29",
      [`ocsuite_audit_write_failures_total{${W2},ocsuite_audit_action="tenant.updated"}`]: "3x60",
    },
    checks: [
      { at: 1, alert: "AuditWriteFailures", firing: [] },
      { at: 10, alert: "AuditWriteFailures", firing: [] },
      { at: 21, alert: "AuditWriteFailures", firing: [{ severity: "page", ocsuite_audit_action: "member.invited" }] },
      { at: 24, alert: "AuditWriteFailures", firing: [{ severity: "page", ocsuite_audit_action: "member.invited" }] },
      { at: 27, alert: "AuditWriteFailures", firing: [] },
      { at: 31, alert: "AuditWriteFailures", firing: [{ severity: "page", ocsuite_audit_action: "member.invited" }] },
      { at: 37, alert: "AuditWriteFailures", firing: [] },
    ],
  },
  {
    name: "KeyRotationFailed: a failed rotation pages at once and clears an hour later",
    series: {
      [`up{${K1}}`]: "1x150",
      [`ocsuite_key_rotation_failures_total{${K1},ocsuite_key_rotation_kind="data-key"}`]: "_x70 1x80",
    },
    checks: [
      { at: 69, alert: "KeyRotationFailed", firing: [] },
      { at: 71, alert: "KeyRotationFailed", firing: [{ severity: "page", ocsuite_key_rotation_kind: "data-key" }] },
      { at: 129, alert: "KeyRotationFailed", firing: [{ severity: "page", ocsuite_key_rotation_kind: "data-key" }] },
      { at: 135, alert: "KeyRotationFailed", firing: [] },
    ],
  },
  {
    name: "ProviderErrorRatioHigh: 40% of openai calls failing pages after 5 minutes and clears when they recover; a tenant's bad key and a trickle of calls do not page",
    series: {
      'gen_ai_client_operation_duration_count{job="ocsuite-web",instance="web-1:3000",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o"}':
        "0+6x70",
      'gen_ai_client_operation_duration_count{job="ocsuite-web",instance="web-1:3000",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",error_type="providerUnavailable"}':
        "0x30 4+4x19 80x20",
      'gen_ai_client_operation_duration_count{job="ocsuite-web",instance="web-1:3000",gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet"}':
        "0+6x70",
      'gen_ai_client_operation_duration_count{job="ocsuite-web",instance="web-1:3000",gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet",error_type="providerAuthFailed"}':
        "0+4x70",
      'gen_ai_client_operation_duration_count{job="ocsuite-web",instance="web-1:3000",gen_ai_operation_name="chat",gen_ai_provider_name="openai_compatible",gen_ai_request_model="llama"}':
        "0+0.5x70",
      'gen_ai_client_operation_duration_count{job="ocsuite-web",instance="web-1:3000",gen_ai_operation_name="chat",gen_ai_provider_name="openai_compatible",gen_ai_request_model="llama",error_type="providerTimeout"}':
        "0+0.5x70",
    },
    checks: [
      { at: 30, alert: "ProviderErrorRatioHigh", firing: [] },
      { at: 38, alert: "ProviderErrorRatioHigh", firing: [] },
      { at: 45, alert: "ProviderErrorRatioHigh", firing: [{ severity: "page", gen_ai_provider_name: "openai" }] },
      { at: 60, alert: "ProviderErrorRatioHigh", firing: [] },
    ],
  },
  {
    name: "JobQueueDepthHigh: 150 waiting for 15 minutes tickets once (two workers report the same depth); an 11-minute burst does not",
    series: {
      [`ocsuite_job_queue_depth{${K1},messaging_destination_name="tasks-run-task"}`]: "0x10 150x30 20x20",
      [`ocsuite_job_queue_depth{${K2},messaging_destination_name="tasks-run-task"}`]: "0x10 150x30 20x20",
      [`ocsuite_job_queue_depth{${K1},messaging_destination_name="run-meeting"}`]: "0x10 150x10 0x40",
    },
    checks: [
      { at: 20, alert: "JobQueueDepthHigh", firing: [] },
      { at: 30, alert: "JobQueueDepthHigh", firing: [fn("tasks-run-task", "ticket")] },
      { at: 45, alert: "JobQueueDepthHigh", firing: [] },
    ],
  },
  {
    name: "JobQueueOldestAgeHigh: a stalled function tickets after 5 + 10 minutes and pages at 30 + 5 (two workers report the same age); a 7-minute wait that drains does nothing",
    series: {
      [`ocsuite_job_queue_oldest_age{${K1},messaging_destination_name="run-meeting"}`]: "0x10 0+60x50 0x20",
      [`ocsuite_job_queue_oldest_age{${K2},messaging_destination_name="run-meeting"}`]: "0x10 0+60x50 0x20",
      [`ocsuite_job_queue_oldest_age{${K1},messaging_destination_name="tasks-run-task"}`]: "0x10 0+60x7 0x63",
    },
    checks: [
      { at: 20, alert: "JobQueueOldestAgeHigh", firing: [] },
      { at: 25, alert: "JobQueueOldestAgeHigh", firing: [] },
      { at: 28, alert: "JobQueueOldestAgeHigh", firing: [fn("run-meeting", "ticket")] },
      { at: 44, alert: "JobQueueOldestAgeHigh", firing: [fn("run-meeting", "ticket")] },
      { at: 48, alert: "JobQueueOldestAgeHigh", firing: [fn("run-meeting", "page"), fn("run-meeting", "ticket")] },
      { at: 63, alert: "JobQueueOldestAgeHigh", firing: [] },
    ],
  },
  {
    name: "TargetDown: one instance down 5 minutes tickets; every web instance down pages; a 2-minute blip does nothing",
    series: {
      [`up{${W1}}`]: "1x10 0x9 1x10 0x9 1x20",
      [`up{${W2}}`]: "1x30 0x9 1x20",
      [`up{${K1}}`]: "1x45 0x1 1x13",
    },
    checks: [
      { at: 15, alert: "TargetDown", firing: [] },
      { at: 17, alert: "TargetDown", firing: [{ severity: "ticket", job: "ocsuite-web", instance: "web-1:3000" }] },
      { at: 25, alert: "TargetDown", firing: [] },
      {
        at: 39,
        alert: "TargetDown",
        firing: [
          { severity: "page", job: "ocsuite-web" },
          { severity: "ticket", job: "ocsuite-web", instance: "web-1:3000" },
          { severity: "ticket", job: "ocsuite-web", instance: "web-2:3000" },
        ],
      },
      { at: 48, alert: "TargetDown", firing: [] },
    ],
  },
];

/** `{{ $labels.x }}` → the label's value; anything else templated would make the expectation depend on a computed value. */
const render = (template: string, labels: Record<string, string>) => {
  const out = template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? "");
  if (out.includes("{{")) throw new Error(`symptom-scenarios: unsupported template in "${template}"`);
  return out;
};

export const symptomScenarioTests = (): string => {
  const rules = symptomAlertRules(PRODUCTION).flatMap((g) => g.rules) as TAlertRule[];
  const expect = (alert: string, labels: TLabels) => {
    const rule = rules.find((r) => r.alert === alert && r.labels.severity === labels.severity);
    if (!rule) throw new Error(`symptom-scenarios: no ${labels.severity} rule for ${alert}`);
    const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, render(v, labels)]));
    return { exp_labels: labels, exp_annotations: annotations };
  };
  const tests = scenarios().map((s) => ({
    name: s.name,
    interval: "1m",
    input_series: Object.entries(s.series).map(([series, values]) => ({ series, values })),
    alert_rule_test: s.checks.map((c) => ({ eval_time: `${c.at}m`, alertname: c.alert, exp_alerts: c.firing.map((l) => expect(c.alert, l)) })),
  }));
  const head = [
    "# GENERATED by scripts/ops/generate.ts from the scenarios in scripts/ops/symptom-scenarios.ts — do not edit by hand.",
    "# promtool test rules for every symptom alert: fires when it should, at its severity, stays silent when it should not.",
    "",
  ].join("\n");
  return head + stringify({ rule_files: ["../rules/symptom-alerts.yml"], evaluation_interval: "1m", tests }, { lineWidth: 0, aliasDuplicateObjects: false });
};
