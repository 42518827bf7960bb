import { observeJobQueueDepth } from "~/server/infra/job-queue-depth";
import { METRICS_UNAUTHORIZED_HEADERS, metricsScrapeAllowed } from "~/server/infra/metrics-auth";
import { PROMETHEUS_CONTENT_TYPE, scrapePrometheus } from "~/server/infra/metrics-exporter";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint: the OpenTelemetry metrics of this process in the
 * Prometheus text format (src/server/infra/metrics-exporter.ts; names in
 * metric-catalog.ts). Needs `Authorization: Bearer $METRICS_TOKEN` (see
 * metrics-auth.ts for the rule without a token).
 */
export const GET = async (req: Request) => {
  if (!metricsScrapeAllowed(req.headers.get("authorization"))) {
    return new Response("unauthorized\n", { status: 401, headers: METRICS_UNAUTHORIZED_HEADERS });
  }
  // The queue-depth gauge reads the job store when collected; registered once per process.
  observeJobQueueDepth();
  return new Response(await scrapePrometheus(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" } });
};
