import { registerOTel } from "@vercel/otel";

/**
 * Runs once per server process, before any request. Validates the environment
 * (a bad variable stops the server with a message naming it) and registers
 * OpenTelemetry:
 *   - traces through @vercel/otel, exported by the standard OTEL_* variables
 *     (OTEL_EXPORTER_OTLP_ENDPOINT unset: spans are created for log
 *     correlation but not exported), with the tracing instrumentations of
 *     src/server/infra/trace-instrumentations.ts;
 *   - metrics: the process's one MeterProvider (src/server/infra/metrics-exporter.ts:
 *     Prometheus at /api/metrics, OTLP push when configured) made the global
 *     one. It is not handed to registerOTel as `metricReaders`: @vercel/otel
 *     would build a second MeterProvider around them, and a reader belongs to
 *     one provider only.
 * OTEL_SERVICE_NAME (default "ocsuite-web") names the service on both.
 */
export const register = async () => {
  // NEXT_RUNTIME is Next's own marker, not configuration. env.js validates server
  // secrets, which an edge bundle would not carry, so it is loaded on Node only
  // (none of our code runs on the edge runtime today).
  if (process.env.NEXT_RUNTIME !== "nodejs") {
    registerOTel({ serviceName: "ocsuite-web" });
    return;
  }
  const { env } = await import("./env.js");
  const { traceInstrumentations, traceSpanProcessors } = await import("./server/infra/trace-instrumentations");
  // "fetch" and "auto" are @vercel/otel's defaults, kept when adding ours. Our
  // processors run first: they add semconv attributes on end, and "auto"'s batch
  // could otherwise export a span before they did.
  registerOTel({ serviceName: env.OTEL_SERVICE_NAME, instrumentations: ["fetch", ...traceInstrumentations()], spanProcessors: [...traceSpanProcessors(), "auto"] });
  const { registerMeterProvider } = await import("./server/infra/metrics-exporter");
  registerMeterProvider();
};
