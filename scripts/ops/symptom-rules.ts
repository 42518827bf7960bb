/*
 * Alerts on causes the SLOs would show late or never: a dead-letter pile-up,
 * a failing provider, a broken audit trail, a failed key rotation, a backlog
 * that does not drain, a scrape target that is gone. Generated (not
 * hand-written) so the drill profile scales their windows like the SLO
 * alerts'; the thresholds below are the decisions, each with its reason.
 */
import { runbookUrl, scaled, type TAlertRule, type TProfile, type TRuleGroup } from "./profile";

/** The Prometheus scrape jobs ops/README.md configures: the web app's /api/metrics and the worker fleet's /metrics. */
export const SCRAPE_JOBS = ["ocsuite-web", "ocsuite-worker"] as const;

/**
 * "At least one event in the last `window`", robust to how counters appear.
 * The OTel exporter publishes a counter series only once it has been
 * incremented, so the first failure ever (or since a restart) shows up as a
 * new series already at 1, and increase() over it is 0. The second branch
 * catches exactly that: a series that exists now but did not `window` ago, on
 * a target that was being scraped then (so a Prometheus restart or a new
 * target does not read as "everything is new").
 */
const anyIncrease = (metric: string, by: string, window: string) =>
  `sum by (${by}) (increase(${metric}[${window}])) > 0 or ` +
  `sum by (${by}) ((${metric} unless ${metric} offset ${window}) and on (job, instance) (up offset ${window} == 1))`;

type TSymptom = Omit<TAlertRule, "annotations" | "for"> & { for: string; summary: string; description: string };

/** Provider-side failures only: a tenant's revoked key (providerAuthFailed), a blocked base URL or a user's cancel are the tenant's to fix, shown in the product. */
const NOT_PROVIDER_FAULTS = "providerAuthFailed|providerAddressBlocked|cancelled";

const symptoms = (p: TProfile): TSymptom[] => {
  const w = (d: string) => scaled(p, d);
  const fn = "messaging_destination_name";
  const jobs = SCRAPE_JOBS.join("|");
  return [
    {
      alert: "DeadLettersGrowing",
      // Every dead letter is a run a person has to replay or discard: one is a ticket.
      expr: anyIncrease("ocsuite_job_dead_letters_total", fn, w("1h")),
      for: "0m",
      labels: { severity: "ticket" },
      summary: "Job {{ $labels.messaging_destination_name }} dead-lettered runs in the last hour",
      description:
        "Runs of {{ $labels.messaging_destination_name }} exhausted their retries and were dead-lettered. Inspect, fix and replay or discard them in /en/admin/jobs.",
    },
    {
      alert: "DeadLettersGrowing",
      // Ten in 15 minutes on one function is no longer bad input: every run of it is failing.
      expr: `sum by (${fn}) (increase(ocsuite_job_dead_letters_total[${w("15m")}])) >= 10`,
      for: "0m",
      labels: { severity: "page" },
      summary: "Job {{ $labels.messaging_destination_name }} is dead-lettering fast (≥ 10 in 15 min)",
      description:
        "{{ $labels.messaging_destination_name }} dead-lettered at least 10 runs in 15 minutes: the function is failing systematically (a bad deploy, a dependency down). Work is being lost to the dead-letter queue until it is fixed.",
    },
    {
      alert: "ProviderErrorRatioHigh",
      // 25% of calls failing after the gateway's own retries, with at least 20 calls
      // in the window so one failure at 3 a.m. does not page.
      expr:
        `(sum by (gen_ai_provider_name) (rate(gen_ai_client_operation_duration_count{error_type!="",error_type!~"${NOT_PROVIDER_FAULTS}"}[${w("10m")}])) ` +
        `/ sum by (gen_ai_provider_name) (rate(gen_ai_client_operation_duration_count[${w("10m")}]))) > 0.25 ` +
        `and sum by (gen_ai_provider_name) (increase(gen_ai_client_operation_duration_count[${w("10m")}])) >= 20`,
      for: w("5m"),
      labels: { severity: "page" },
      summary: "LLM provider {{ $labels.gen_ai_provider_name }}: more than 25% of calls failing",
      description:
        "Over the last 10 minutes more than a quarter of the model calls to {{ $labels.gen_ai_provider_name }} failed after the gateway's retries (rate limits, 5xx, timeouts, dropped streams). Chat, meetings and tasks on that provider are failing for users.",
    },
    {
      alert: "AuditWriteFailures",
      // The audit trail is a compliance control: one lost event is an incident.
      expr: anyIncrease("ocsuite_audit_write_failures_total", "ocsuite_audit_action", w("5m")),
      for: "0m",
      labels: { severity: "page" },
      summary: "Audit events could not be written ({{ $labels.ocsuite_audit_action }})",
      description:
        "At least one {{ $labels.ocsuite_audit_action }} audit event failed to be written in the last 5 minutes while the request itself succeeded. The audit trail has a gap: find the cause before more actions go unrecorded.",
    },
    {
      alert: "KeyRotationFailed",
      // A failed rotation can leave data keys wrapped under two master keys; it must not wait for morning.
      expr: anyIncrease("ocsuite_key_rotation_failures_total", "ocsuite_key_rotation_kind", w("1h")),
      for: "0m",
      labels: { severity: "page" },
      summary: "Key rotation failed ({{ $labels.ocsuite_key_rotation_kind }})",
      description:
        "A {{ $labels.ocsuite_key_rotation_kind }} key rotation run failed in the last hour. Until it is re-run to completion some tenant data keys may still be wrapped by the old key, which must not be retired.",
    },
    {
      alert: "JobQueueDepthHigh",
      // 100 items waiting on one function for 15 minutes: with the tightest limits
      // (tasks: 4 at once, ~30 s a step) that is over 12 minutes of backlog, far past
      // the 30 s queue-wait objective, and a burst (a bulk upload) drains within the
      // 15 minutes. max, not sum: every process serving the functions reports the same
      // store-wide depth.
      expr: `max by (${fn}) (ocsuite_job_queue_depth) > 100`,
      for: w("15m"),
      labels: { severity: "ticket" },
      summary: "Job queue {{ $labels.messaging_destination_name }} has had more than 100 items waiting for 15 minutes",
      description:
        "More than 100 runs of {{ $labels.messaging_destination_name }} have been waiting to start for 15 minutes: the workers are not keeping up. Check worker health and concurrency before the queue-wait SLO burns.",
    },
    {
      alert: "JobQueueOldestAgeHigh",
      // Work that is due and waiting for a free executor or a function-wide slot for over 5
      // minutes, for 10 minutes: capacity is short (the queue-wait objective is 30 s). A ticket,
      // like JobQueueDepthHigh: late, not lost. The gauge leaves out items held only by their own
      // tenant's concurrency limit (fair share by design, bounded by admission control) and
      // retries scheduled for later, so an old item here is not one tenant's burst.
      expr: `max by (${fn}) (ocsuite_job_queue_oldest_age) > 300`,
      for: w("10m"),
      labels: { severity: "ticket" },
      summary: "Job queue {{ $labels.messaging_destination_name }}: work has been waiting to start for more than 5 minutes",
      description:
        "The oldest due item of {{ $labels.messaging_destination_name }} has waited more than 5 minutes to start, for 10 minutes: the workers are not keeping up. Users' meetings and tasks start late. Check worker health and concurrency before it becomes a stall.",
    },
    {
      alert: "JobQueueOldestAgeHigh",
      // Half an hour without starting is a stall, not a slow queue: no executor is leasing the
      // function's work (workers down, the executor loop wedged, leases never released). The
      // queue-wait SLO cannot see it — it is measured when a run starts, and nothing starts.
      expr: `max by (${fn}) (ocsuite_job_queue_oldest_age) > 1800`,
      for: w("5m"),
      labels: { severity: "page" },
      summary: "Job queue {{ $labels.messaging_destination_name }} is stalled: work has waited more than 30 minutes to start",
      description:
        "The oldest due item of {{ $labels.messaging_destination_name }} has waited more than 30 minutes to start. Nothing of that function is being picked up; users' work is not happening and the queue-wait SLO is blind to it (nothing starts).",
    },
    {
      alert: "TargetDown",
      expr: `up{job=~"${jobs}"} == 0`,
      for: w("5m"),
      labels: { severity: "ticket" },
      summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
      description:
        "Prometheus has failed to scrape {{ $labels.instance }} ({{ $labels.job }}) for 5 minutes: the process is down, unreachable, or refusing the METRICS_TOKEN. Its metrics, and every alert built on them, are blind.",
    },
    {
      alert: "TargetDown",
      // Every instance of a job: nothing is serving (web) or running jobs (worker).
      expr: `max by (job) (up{job=~"${jobs}"}) == 0`,
      for: w("5m"),
      labels: { severity: "page" },
      summary: "Every {{ $labels.job }} target is down",
      description:
        "No instance of {{ $labels.job }} has been scrapeable for 5 minutes. For ocsuite-web users cannot reach the product; for ocsuite-worker no background job runs.",
    },
  ];
};

export const symptomAlertRules = (profile: TProfile): TRuleGroup[] => [
  {
    name: "symptoms",
    rules: symptoms(profile).map(({ summary, description, ...rule }) => ({
      ...rule,
      annotations: { summary, description, runbook_url: runbookUrl(profile, rule.alert) },
    })),
  },
];
