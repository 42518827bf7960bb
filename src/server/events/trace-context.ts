import { context, propagation, ROOT_CONTEXT, type Context } from "@opentelemetry/api";

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
