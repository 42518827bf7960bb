import { describe, expect, it } from "vitest";
import { metrics } from "~/server/infra/metrics";
import { scrapePrometheus } from "~/server/infra/metrics-exporter";
import { countsFromPrometheus, processSloCounts } from "./process-slos";

// The per-instance API figures come from this process's own HTTP histogram:
// samples recorded through the real instrument, read back through the real
// Prometheus serialiser, counted as the SLO spec counts them.

const route = (r: string) => `/api/reliability-test/${r}`;
const record = (seconds: number, r: string, status: number) =>
  metrics.httpServerDuration.record(seconds, { "http.request.method": "GET", "http.route": r, "http.response.status_code": status });

describe("the API SLOs from this process's metrics", () => {
  it("counts 5xx as unavailable and requests over 1 s as slow, leaving the streamed chat route out of latency", async () => {
    const before = countsFromPrometheus(await scrapePrometheus(), 1);
    record(0.2, route("a"), 200);
    record(0.9, route("a"), 200);
    record(1.5, route("a"), 200);
    record(0.1, route("b"), 503);
    // A chat turn lasts as long as the answer: available or not, but never "slow".
    record(30, "/api/t/[tenantSlug]/chat", 200);
    const after = countsFromPrometheus(await scrapePrometheus(), 1);
    expect({ good: after.availability.good - before.availability.good, total: after.availability.total - before.availability.total }).toEqual({ good: 4, total: 5 });
    expect({ good: after.latency.good - before.latency.good, total: after.latency.total - before.latency.total }).toEqual({ good: 3, total: 4 });

    const live = await processSloCounts(1);
    expect(live!.since.getTime()).toBeLessThan(Date.now());
    expect(live!.availability.total).toBe(after.availability.total);
  });

  it("reads the exposition format with or without the unit suffix and ignores other metrics", () => {
    const text = [
      "# TYPE http_server_request_duration histogram",
      'http_server_request_duration_bucket{http_route="/api/trpc",http_response_status_code="200",le="0.5"} 7',
      'http_server_request_duration_bucket{http_route="/api/trpc",http_response_status_code="200",le="1"} 9',
      'http_server_request_duration_count{http_route="/api/trpc",http_response_status_code="200"} 10',
      'http_server_request_duration_seconds_count{http_route="/api/trpc",http_response_status_code="500"} 2',
      'http_server_request_duration_seconds_bucket{http_route="/api/trpc",http_response_status_code="500",le="1"} 2',
      'ocsuite_job_runs_total{ocsuite_outcome="failed"} 99',
    ].join("\n");
    expect(countsFromPrometheus(text, 1)).toEqual({ availability: { good: 10, total: 12 }, latency: { good: 11, total: 12 } });
  });
});
