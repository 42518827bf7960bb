/**
 * Time strings as in the SDK spec (1.3.2): "300ms", "2h45m", "1.5s", "1d", "1w";
 * Sleep ops may instead carry an ISO 8601 date (step.sleepUntil).
 */
const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const parseTimeString = (s: string): number | null => {
  const re = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === s.length && s.length > 0 ? total : null;
};

/** Absolute time (ms since epoch) a Sleep/timeout value points at, from `now`. */
export const resolveUntil = (value: string | number | undefined | null, now: number): number | null => {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "number") return now + value;
  const rel = parseTimeString(value);
  if (rel !== null) return now + rel;
  const abs = Date.parse(value);
  return Number.isNaN(abs) ? null : abs;
};
