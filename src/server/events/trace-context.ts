import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from "@opentelemetry/api";

// Trace context travels with an event as a W3C `traceparent` string in its data
// (an id, not personal data), so a job's spans join the trace of the request
// that sent the event — through Inngest Cloud or the local executor alike.

export const TRACEPARENT_PATTERN = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The active span's traceparent, or undefined outside a span / without a propagator. */
export const currentTraceparent = (): string | undefined => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent && TRACEPARENT_PATTERN.test(carrier.traceparent) ? carrier.traceparent : undefined;
};

/** The context to start a job's span in: the sender's trace when the event carries one. */
export const contextFromTraceparent = (traceparent: unknown): Context =>
  typeof traceparent === "string" && TRACEPARENT_PATTERN.test(traceparent) ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();

const tracer = trace.getTracer("ocsuite.jobs");

/**
 * Sending events as a PRODUCER span `send <event name>` (messaging semconv,
 * system "inngest", operation "send"); `send` gets this span's traceparent to
 * put in the events, so each job's span is a child of the send that queued it
 * and the trace reads request → send → job. Only event names go on the span.
 */
export const withSendSpan = <T>(eventNames: string[], send: (traceparent: string | undefined) => Promise<T>): Promise<T> => {
  const names = [...new Set(eventNames)];
  const destination = names.length === 1 ? names[0]! : "batch";
  const attributes = {
    "messaging.system": "inngest",
    "messaging.operation.name": "send",
    "messaging.operation.type": "send",
    "messaging.destination.name": destination,
    "messaging.batch.message_count": eventNames.length,
  };
  return tracer.startActiveSpan(`send ${destination}`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    try {
      return await send(currentTraceparent());
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).name });
      throw err;
    } finally {
      span.end();
    }
  });
};
