import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { env } from "~/env";
import { traceInstrumentations, traceSpanProcessors } from "./trace-instrumentations";

/**
 * The tracer provider of every process that is not the Next.js server (which
 * registers @vercel/otel in src/instrumentation.ts): the worker fleet
 * (scripts/worker.ts) and anything else that serves Inngest functions. Same
 * shape as the web's: W3C trace context (so a job continues the trace its
 * event carries, see events/trace-context.ts), async-hooks context, the shared
 * instrumentations and span processors (trace-instrumentations.ts), and an
 * OTLP/HTTP JSON exporter when an endpoint is configured. Without one, spans
 * are still created — the logger puts their ids on log lines — but not sent.
 *
 * No `server-only`: the worker runs this before anything else is imported.
 */

/** The web's default; another process reporting under it would be mistaken for the web. */
const WEB_SERVICE_NAME = "ocsuite-web";

type TraceEnv = { OTEL_EXPORTER_OTLP_ENDPOINT?: string; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string };

/** The OTLP traces URL: the signal's own endpoint as given, else the base one + /v1/traces (the OTLP spec's rule). */
export const tracesUrlFrom = (e: TraceEnv): string | undefined => {
  if (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!e.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
};

/** OTEL_SERVICE_NAME when it names this process, else the process's own default. */
export const serviceNameFor = (fallback: string, configured: string | undefined = env.OTEL_SERVICE_NAME): string =>
  configured && configured !== WEB_SERVICE_NAME ? configured : fallback;

export type TracingOptions = {
  /** This process's name when OTEL_SERVICE_NAME does not give one (the worker: "ocsuite-worker"). */
  serviceName: string;
  /** The OTLP traces URL instead of the environment's (tests, with a receiver on a free port). */
  tracesUrl?: string;
};

export type Tracing = {
  provider: NodeTracerProvider;
  /** Whether spans leave the process. */
  exporting: boolean;
  /** Exports what is still buffered and stops; call before the process exits. */
  shutdown: () => Promise<void>;
};

/** Registers the global tracer provider, propagator, context manager and instrumentations. Call once, first. */
export const startTracing = (opts: TracingOptions): Tracing => {
  const url = opts.tracesUrl ?? tracesUrlFrom(env);
  const exporter = url ? new OTLPTraceExporter({ url }) : undefined;
  const spanProcessors: SpanProcessor[] = [...traceSpanProcessors(), ...(exporter ? [new BatchSpanProcessor(exporter)] : [])];
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ "service.name": serviceNameFor(opts.serviceName) })),
    spanProcessors,
  });
  // The defaults: W3C traceparent + baggage propagator, AsyncLocalStorage context manager.
  provider.register();
  const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: traceInstrumentations() });
  return {
    provider,
    exporting: exporter !== undefined,
    shutdown: async () => {
      unregister();
      await provider.shutdown();
    },
  };
};
