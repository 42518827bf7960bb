/*
 * A generation profile: "production" writes the committed files; "drill"
 * divides every window and `for` by `scale` so the live alert drill
 * (scripts/drill/) can watch a page fire and resolve in minutes with the same
 * expressions. Recording-rule names keep their nominal window
 * (slo:sli_error:ratio_rate1h is 1 min of data at scale 60), so alerts and
 * dashboards read the same series in both profiles.
 */
import { durationMs, formatDuration } from "./slo-spec";

export type TProfile = {
  name: "production" | "drill";
  /** Every window and `for` is divided by this (1 in production). */
  scale: number;
  /** Prefix of every runbook_url; "" keeps it relative to the repository root. */
  runbookBaseUrl: string;
};

export const PRODUCTION: TProfile = { name: "production", scale: 1, runbookBaseUrl: "" };

/** A nominal duration as this profile evaluates it ("1h" at scale 60 → "1m"). */
export const scaled = (profile: TProfile, d: string): string => (profile.scale === 1 ? d : formatDuration(durationMs(d) / profile.scale));

/** Where an alert's runbook lives: docs/runbooks/alerts/<alert>.md, under the base URL when one is given. */
export const runbookUrl = (profile: TProfile, alert: string): string => {
  const rel = `docs/runbooks/alerts/${alert}.md`;
  return profile.runbookBaseUrl ? `${profile.runbookBaseUrl.replace(/\/+$/, "")}/${rel}` : rel;
};

export type TRecordingRule = { record: string; expr: string; labels?: Record<string, string> };
export type TAlertRule = {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string> & { severity: "page" | "ticket" };
  annotations: { summary: string; description: string; runbook_url: string };
};
export type TRuleGroup = { name: string; rules: (TRecordingRule | TAlertRule)[] };
