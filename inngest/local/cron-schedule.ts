/**
 * Pure cron parts: reading a trigger's `cron` string the way Inngest does
 * (five fields, an optional `TZ=Area/City ` prefix, UTC otherwise), the tick
 * that is due at a given moment, and the `inngest/scheduled.timer` event a
 * tick starts its run with. The timer, the clock and the database are in
 * cron.ts; parsing and date arithmetic are cron-parser's (5.x).
 */
import { CronExpressionParser } from "cron-parser";
import type { FunctionConfig, StoredEvent } from "./types";

/** The event name Inngest (and the SDK's `ScheduledTimerEventPayload`) gives cron-triggered runs. */
export const CRON_EVENT_NAME = "inngest/scheduled.timer";

/**
 * A tick is due until this long after its time. Cron has a one-minute
 * resolution, so "due now" means "in the current minute": a check that comes a
 * little late (a slow check, a restart seconds after the tick) still fires it,
 * while ticks older than that were missed and are never backfilled (as in
 * Inngest). Five-field schedules tick at most once a minute, so at most one
 * tick per schedule is ever due.
 */
const CRON_DUE_WINDOW_MS = 60_000;

export type CronSchedule = { expression: string; fields: string; tz: string };

// The descriptors Inngest's parser (robfig/cron) accepts, as five fields.
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Parses a trigger's cron string; `{ error }` says why one is refused. */
export const parseCron = (expression: string): CronSchedule | { error: string } => {
  const prefixed = /^\s*(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expression);
  const tz = prefixed ? prefixed[1]! : "UTC";
  const rest = (prefixed ? prefixed[2]! : expression).trim();
  const fields = DESCRIPTORS[rest.toLowerCase()] ?? rest;
  // cron-parser also reads six fields (seconds) and fills in missing ones; Inngest takes exactly five.
  if (fields.split(/\s+/).length !== 5) return { error: `expected 5 fields (minute hour day month weekday), got "${rest}"` };
  if (!isTimeZone(tz)) return { error: `unknown time zone "${tz}"` };
  const schedule = { expression, fields, tz };
  try {
    // A trial run: cron-parser reports some impossible schedules only when it looks for a date.
    dueTick(schedule, Date.now());
    return schedule;
  } catch (err) {
    return { error: (err as Error).message };
  }
};

/** The latest tick at or before `nowMs` if it is still due (CRON_DUE_WINDOW_MS), else null. */
export const dueTick = (schedule: CronSchedule, nowMs: number): number | null => {
  // prev() is strictly before currentDate: one millisecond later lets a tick at exactly `nowMs` count.
  const it = CronExpressionParser.parse(schedule.fields, { tz: schedule.tz, currentDate: new Date(nowMs + 1) });
  const tick = it.prev().getTime();
  return nowMs - tick < CRON_DUE_WINDOW_MS ? tick : null;
};

/** The cron expressions of a function's triggers, as synced. */
export const cronTriggersOf = (cfg: FunctionConfig) =>
  (cfg.triggers ?? []).flatMap((t) => (typeof t.cron === "string" ? [t.cron] : []));

/** The triggers of a config that cannot be parsed (logged at sync, then ignored). */
export const invalidCrons = (cfg: FunctionConfig) =>
  cronTriggersOf(cfg).flatMap((cron) => {
    const parsed = parseCron(cron);
    return "error" in parsed ? [{ cron, error: parsed.error }] : [];
  });

/**
 * The event id of one tick of one function. Inngest uses the tick's RFC 3339
 * time as the id (unique per function); our event ids are global primary keys,
 * so the function id is part of it. Deterministic, so every executor sharing
 * the database (and every restart) derives the same id and the primary key
 * lets exactly one of them start the run.
 */
export const cronEventId = (functionId: string, tickMs: number) =>
  `cron:${functionId}:${new Date(tickMs).toISOString().replace(/\.000Z$/, "Z")}`;

/**
 * The event a tick's run receives, shaped like Inngest's: name, `data.cron`
 * (the trigger's expression as written, TZ prefix included), id. `ts` is the
 * tick's scheduled time (Inngest stamps the moment it fires, which is that time
 * give or take its queue latency).
 */
export const cronEvent = (functionId: string, expression: string, tickMs: number): StoredEvent => ({
  id: cronEventId(functionId, tickMs),
  name: CRON_EVENT_NAME,
  data: { cron: expression },
  ts: tickMs,
});
