import "server-only";
import { processSloCounts } from "./process-slos";
import { sloFigures, type TSloState } from "./slo-math";
import { chatSloCounts, jobSloCounts, type TCounts } from "./slo-queries";
import { loadSloSpec, type TSloDefinition } from "./slo-spec";

// SLO status for /admin/ops (every tenant) and a workspace's usage page (one
// tenant): the objectives from ops/slo/slos.yaml, the counts from the database
// where it records the events, from this process's metrics where only they do.

/** database: every instance's events over the window; process: this instance since it started; unavailable: only Prometheus has it. */
type TSloSource = "database" | "process" | "unavailable";

export type TSloStatus = TSloDefinition & {
  source: TSloSource;
  /** For source "process": when this instance's counters started. */
  since: Date | null;
  good: number | null;
  total: number | null;
  bad: number | null;
  ratio: number | null;
  budgetRemaining: number | null;
  state: TSloState | "unavailable";
};

const DB_SLOS = ["chat-ttft", "chat-success", "job-success", "queue-wait"] as const;
const PROCESS_SLOS = { "api-availability": "availability", "api-latency": "latency" } as const;

const thresholdMs = (slos: TSloDefinition[], name: string, fallbackSeconds: number) =>
  Math.round((slos.find((s) => s.name === name)?.thresholdSeconds ?? fallbackSeconds) * 1000);

const withFigures = (def: TSloDefinition, source: TSloSource, counts: TCounts | null, since: Date | null = null): TSloStatus => {
  if (!counts) return { ...def, source: "unavailable", since: null, good: null, total: null, bad: null, ratio: null, budgetRemaining: null, state: "unavailable" };
  return { ...def, source, since, ...sloFigures(counts.good, counts.total, def.objective) };
};

/**
 * Every SLO of the spec with its status over the spec's window ending `now`.
 * `tenantId` narrows the database SLOs to one workspace and leaves out the
 * per-process ones (they are not per tenant).
 */
export const getSloStatus = async (opts: { now?: Date; tenantId?: string } = {}) => {
  const now = opts.now ?? new Date();
  const spec = await loadSloSpec();
  const range = { start: new Date(now.getTime() - spec.windowMs), end: now };
  const scope = { tenantId: opts.tenantId ?? null };
  const [chat, jobs, proc] = await Promise.all([
    chatSloCounts(scope, range, thresholdMs(spec.slos, "chat-ttft", 2.5)),
    jobSloCounts(scope, range, thresholdMs(spec.slos, "queue-wait", 30)),
    opts.tenantId ? Promise.resolve(null) : processSloCounts(thresholdMs(spec.slos, "api-latency", 1) / 1000),
  ]);
  const dbCounts: Record<(typeof DB_SLOS)[number], TCounts> = {
    "chat-ttft": chat.ttft,
    "chat-success": chat.success,
    "job-success": jobs.success,
    "queue-wait": jobs.queueWait,
  };
  const slos = spec.slos
    .filter((def) => !opts.tenantId || (DB_SLOS as readonly string[]).includes(def.name))
    .map((def) => {
      if (def.name in dbCounts) return withFigures(def, "database", dbCounts[def.name as keyof typeof dbCounts]);
      const metric = PROCESS_SLOS[def.name as keyof typeof PROCESS_SLOS];
      return withFigures(def, "process", metric && proc ? proc[metric] : null, proc?.since ?? null);
    });
  return { window: spec.window, windowStart: range.start, windowEnd: range.end, slos };
};
