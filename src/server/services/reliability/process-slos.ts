import "server-only";
import { logger } from "~/server/infra/logger";
import { scrapePrometheus } from "~/server/infra/metrics-exporter";

// The API SLOs (availability, latency) are measured per HTTP request in each
// server process's metrics; no table records requests, so the database cannot
// answer them. This reads this process's own histogram — the same Prometheus
// text /api/metrics serves — for a figure labelled honestly as "this server
// instance, since it started". Grafana (Prometheus over every instance) is the
// service-wide answer; the page says so.

export type TProcessSloCounts = { since: Date; availability: { good: number; total: number }; latency: { good: number; total: number } };

/** The streamed chat turn is excluded from the latency SLI (its duration is the answer's length), as in ops/slo/slos.yaml. */
const CHAT_ROUTE = "/api/t/[tenantSlug]/chat";
const LINE = /^http_server_request_duration(?:_seconds)?_(bucket|count)\{([^}]*)\}\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

const labelsOf = (text: string) => Object.fromEntries([...text.matchAll(LABEL)].map((m) => [m[1]!, m[2]!]));

/** Good and total requests from the Prometheus text of the HTTP duration histogram (exported for its test). */
export const countsFromPrometheus = (text: string, latencyThresholdSeconds: number) => {
  const availability = { good: 0, total: 0 };
  const latency = { good: 0, total: 0 };
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = labelsOf(m[2]!);
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const isChat = labels.http_route === CHAT_ROUTE;
    if (m[1] === "count") {
      availability.total += value;
      if (!/^5\d\d$/.test(labels.http_response_status_code ?? "")) availability.good += value;
      if (!isChat) latency.total += value;
    } else if (!isChat && Number(labels.le) === latencyThresholdSeconds) {
      latency.good += value;
    }
  }
  return { availability, latency };
};

/** This process's API counts since it started; null when its metrics cannot be read (then only Prometheus has them). */
export const processSloCounts = async (latencyThresholdSeconds: number): Promise<TProcessSloCounts | null> => {
  try {
    const text = await scrapePrometheus();
    return { since: new Date(Date.now() - process.uptime() * 1000), ...countsFromPrometheus(text, latencyThresholdSeconds) };
  } catch (err) {
    logger.warn({ err }, "reliability: this process's metrics could not be read");
    return null;
  }
};
