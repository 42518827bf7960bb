import "server-only";
import type { Instrumentation } from "@opentelemetry/instrumentation";

/**
 * The auto-instrumentations every process registers with its tracer provider
 * (web: src/instrumentation.ts through @vercel/otel; worker: scripts/worker.ts).
 * Filled in by the tracing work (Prisma / pg query spans).
 */
export const traceInstrumentations = (): Instrumentation[] => [];
