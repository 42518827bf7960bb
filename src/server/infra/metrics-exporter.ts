import { metrics as otelMetrics } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";
import { env } from "~/env";

/*
 * Owns the process's one OpenTelemetry MeterProvider and its readers — the
 * single pipeline every metric goes through (instruments: metrics.ts, from
 * metric-catalog.ts):
 *   - a Prometheus pull reader, serialised on demand for /api/metrics (web)
 *     and GET /metrics (worker); no listening server of its own
 *     (preventServerStart) — the app's routes serve it behind METRICS_TOKEN;
 *   - an OTLP/HTTP push reader when OTEL_EXPORTER_OTLP_ENDPOINT or
 *     OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is set, every
 *     OTEL_METRIC_EXPORT_INTERVAL ms (the exporter reads the standard OTEL_*
 *     variables itself: endpoint, headers, timeout). On short-lived serverless
 *     functions set a short interval; flushMetrics() pushes at once.
 *
 * Kept on globalThis: Next bundles a module once per route (and once for
 * instrumentation.ts), and a second provider would split the counts.
 * No `server-only`: src/instrumentation.ts loads this module, and Next compiles
 * the instrumentation hook outside the React server graph.
 */

type Pipeline = { provider: MeterProvider; prometheus: PrometheusExporter; otlp: boolean };
const g = globalThis as unknown as { __ocsuiteMeterPipeline?: Pipeline };

/** The OTLP metrics endpoint in effect, when push export is configured. */
const otlpConfigured = () => Boolean(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT);

/** The web's default name; another process reporting under it would be mistaken for the web. */
const WEB_SERVICE_NAME = "ocsuite-web";

const createPipeline = (fallbackServiceName: string): Pipeline => {
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  // exporter-prometheus pins its own sdk-metrics patch version; the reader contract is the same.
  const readers: IMetricReader[] = [prometheus as unknown as IMetricReader];
  const otlp = otlpConfigured();
  if (otlp) {
    readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: env.OTEL_METRIC_EXPORT_INTERVAL }));
  }
  const configured = env.OTEL_SERVICE_NAME;
  const serviceName = configured && configured !== WEB_SERVICE_NAME ? configured : fallbackServiceName;
  const resource = defaultResource().merge(resourceFromAttributes({ "service.name": serviceName }));
  return { provider: new MeterProvider({ resource, readers }), prometheus, otlp };
};

const pipeline = (): Pipeline => (g.__ocsuiteMeterPipeline ??= createPipeline(WEB_SERVICE_NAME));

/** The process's MeterProvider (created on first use). */
export const meterProvider = (): MeterProvider => pipeline().provider;

/**
 * Creates the provider under this process's service name (OTEL_SERVICE_NAME
 * when it names this process, else `serviceName`: the worker's "ocsuite-worker")
 * and makes it the global one, so libraries that record through the OTel API
 * (@opentelemetry/api `metrics.getMeter`) land in the same pipeline. Called by
 * src/instrumentation.ts (web) and scripts/worker.ts before anything records
 * (the instruments in metrics.ts are created on first use); harmless when repeated.
 */
export const registerMeterProvider = (opts: { serviceName?: string } = {}): void => {
  const provider = (g.__ocsuiteMeterPipeline ??= createPipeline(opts.serviceName ?? WEB_SERVICE_NAME)).provider;
  if (otelMetrics.getMeterProvider() !== provider) otelMetrics.setGlobalMeterProvider(provider);
};

const serializer = new PrometheusSerializer();

/** The Prometheus text exposition (format 0.0.4) of every metric, collected now. */
export const scrapePrometheus = async (): Promise<string> => {
  // A failing observable callback is reported by the SDK (diag) and left out; the rest still answers.
  const { resourceMetrics } = await pipeline().prometheus.collect();
  return serializer.serialize(resourceMetrics);
};

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Pushes what the OTLP reader holds now (a no-op without OTLP): the end of a serverless invocation, a worker's shutdown. */
export const flushMetrics = async (): Promise<void> => {
  const p = g.__ocsuiteMeterPipeline;
  if (p?.otlp) await p.provider.forceFlush();
};

/** Flushes and stops the readers (a process about to exit). */
export const shutdownMetrics = async (): Promise<void> => {
  const p = g.__ocsuiteMeterPipeline;
  if (p) await p.provider.shutdown();
};
