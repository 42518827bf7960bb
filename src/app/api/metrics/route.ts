import { timingSafeEqual } from "node:crypto";
import { env } from "~/env";
import { metrics } from "~/server/infra/metrics";

export const dynamic = "force-dynamic";

const tokenMatches = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Prometheus scrape endpoint. In production it needs `Authorization: Bearer
 * $METRICS_TOKEN`; with no token configured it refuses rather than exposing
 * metrics. Outside production, a configured token is still enforced.
 */
export const GET = async (req: Request) => {
  const expected = env.METRICS_TOKEN;
  if (expected || env.NODE_ENV === "production") {
    const given = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    if (!expected || !tokenMatches(given, expected)) {
      return new Response("unauthorized\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } });
    }
  }
  return new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" } });
};
