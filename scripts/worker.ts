/**
 * The worker fleet: a plain Node HTTP server exposing the same Inngest
 * functions as the web app's /api/inngest, so heavy functions can run on
 * separately scaled machines (Inngest Cloud / self-hosted Inngest, or the
 * local executor, syncs its URL like any other app endpoint).
 *
 *   node --conditions=react-server --import tsx scripts/worker.ts
 *
 * (`react-server` makes `import "server-only"` a no-op outside Next; `tsx`
 * runs the TypeScript.) Env: WORKER_PORT (default 3030), WORKER_HOST
 * (default 0.0.0.0), plus the app's own variables (DATABASE_URL, AUTH_SECRET,
 * INNGEST_*). Serves at /api/inngest; GET /healthz answers 200; GET /metrics
 * serves this process's OpenTelemetry metrics as Prometheus text (the job
 * telemetry middleware records here), behind the same METRICS_TOKEN rule as the
 * web app's /api/metrics.
 */
import { createServer, type ServerResponse } from "node:http";
import { serve } from "inngest/node";
import { functions } from "../inngest/functions";
import { env } from "../src/env.js";
import { inngest } from "../src/server/events/client";
import { observeJobQueueDepth } from "../src/server/infra/job-queue-depth";
import { METRICS_UNAUTHORIZED_HEADERS, metricsScrapeAllowed } from "../src/server/infra/metrics-auth";
import { PROMETHEUS_CONTENT_TYPE, registerMeterProvider, scrapePrometheus, shutdownMetrics } from "../src/server/infra/metrics-exporter";
import { startTracing } from "../src/server/infra/trace-sdk";

const port = env.WORKER_PORT;
const host = env.WORKER_HOST;
const handler = serve({ client: inngest, functions, servePath: "/api/inngest" });
// Before anything records or starts a span: both providers take this process's name when created.
const tracing = startTracing({ serviceName: "ocsuite-worker" });
registerMeterProvider({ serviceName: "ocsuite-worker" });
// This process serves jobs, so it also reports how much work waits for them.
observeJobQueueDepth();

const serveMetrics = async (authorization: string | undefined, res: ServerResponse) => {
  if (!metricsScrapeAllowed(authorization)) {
    res.writeHead(401, { "content-type": "text/plain", ...METRICS_UNAUTHORIZED_HEADERS }).end("unauthorized\n");
    return;
  }
  try {
    const body = await scrapePrometheus();
    res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" }).end(body);
  } catch (err) {
    process.stderr.write(`worker: metrics scrape failed: ${(err as Error).message}\n`);
    res.writeHead(500).end();
  }
};

const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, functions: functions.length }));
    return;
  }
  if (req.method === "GET" && req.url?.split("?")[0] === "/metrics") {
    void serveMetrics(req.headers.authorization, res);
    return;
  }
  if (!req.url?.startsWith("/api/inngest")) {
    res.writeHead(404).end();
    return;
  }
  return handler(req, res);
});

server.listen(port, host, () => {
  process.stdout.write(`worker: ${functions.length} functions at http://${host}:${port}/api/inngest\n`);
});

// The last OTLP push (when configured) before the process goes.
const shutdown = () => server.close(() => void Promise.allSettled([shutdownMetrics(), tracing.shutdown()]).finally(() => process.exit(0)));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
