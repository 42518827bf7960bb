import "server-only";

// The API SLOs (availability, latency) are measured per HTTP request in each
// server process's metrics; no table records requests, so the database cannot
// answer them. This is where the product would read this process's own
// counters for a "this server instance, since <start>" figure. The metrics
// module is being rebuilt on OpenTelemetry and does not yet export a snapshot
// of its collected values, so there is nothing honest to show: null, and the
// page points at Grafana and /api/metrics, which aggregate every instance.

export type TProcessSloCounts = { since: Date; availability: { good: number; total: number }; latency: { good: number; total: number } };

export const processSloCounts = async (): Promise<TProcessSloCounts | null> => null;
