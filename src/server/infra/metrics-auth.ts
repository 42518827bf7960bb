import "server-only";
import { timingSafeEqual } from "node:crypto";
import { env } from "~/env";

/*
 * Who may scrape metrics (/api/metrics on the web app, GET /metrics on a
 * worker): `Authorization: Bearer $METRICS_TOKEN`, compared in constant time.
 * In production with no token configured nobody may (metrics name routes,
 * functions and error rates); outside production, a configured token is still
 * enforced and an unset one leaves the endpoint open for local work.
 * (`npm start` generates a token into .data/metrics-token.)
 */

const tokenMatches = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const metricsScrapeAllowed = (authorization: string | null | undefined): boolean => {
  const expected = env.METRICS_TOKEN;
  if (!expected && env.NODE_ENV !== "production") return true;
  const given = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  return Boolean(expected) && tokenMatches(given, expected!);
};

export const METRICS_UNAUTHORIZED_HEADERS = { "www-authenticate": 'Bearer realm="metrics"' } as const;
