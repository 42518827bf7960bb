// UTC calendar days for the per-day series: the same day boundaries whoever
// looks, as in the admin usage page (services/admin/usage.ts).

export const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" of a Date, in UTC. */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last `count` UTC days, today included: their labels and the [start, end) instants they span. */
export const lastDays = (count: number, now: Date) => {
  const today = new Date(`${isoDay(now)}T00:00:00.000Z`).getTime();
  const start = new Date(today - (count - 1) * DAY_MS);
  return { start, end: new Date(today + DAY_MS), days: Array.from({ length: count }, (_, i) => isoDay(new Date(start.getTime() + i * DAY_MS))) };
};

/** SQL text of a row's UTC day, "YYYY-MM-DD" (the column name is ours, never input). */
export const UTC_DAY = (column: string) => `to_char((${column} AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')`;

/** A numeric or bigint or decimal string from Postgres as a JS number; null stays null. */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
