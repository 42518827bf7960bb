import "server-only";
import { SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

export const tracer = trace.getTracer("ocsuite");

/**
 * Runs `fn` inside an active span, records exceptions and ends the span.
 * The span is the parent of everything `fn` does (DB, fetch, nested spans).
 */
export const withSpan = async <T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> =>
  tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
