import { inngest } from "~/server/events/client";
import { withSendSpan } from "~/server/events/trace-context";
import { AppError } from "~/server/errors";

type Payload = Parameters<typeof inngest.send>[0];

/**
 * Sends events through the app's Inngest client (Inngest Cloud, a self-hosted
 * Inngest, or the local executor via INNGEST_DEV). When the engine cannot be
 * reached (after the SDK's own retries) the caller gets a clear
 * SERVICE_UNAVAILABLE / `jobsUnavailable` instead of an internal error.
 */
export const sendJobEvent = async (payload: Payload): Promise<string[]> =>
  // The job's spans continue this request's trace, under the send's span.
  withSendSpan((Array.isArray(payload) ? payload : [payload]).map((e) => e.name), async (traceparent) => {
    const withTrace = (e: { data?: unknown }) => (traceparent ? { ...e, data: { ...(e.data as object), traceparent } } : e);
    const traced = (Array.isArray(payload) ? payload.map(withTrace) : withTrace(payload)) as Payload;
    try {
      return (await inngest.send(traced)).ids;
    } catch (err) {
      throw new AppError("SERVICE_UNAVAILABLE", "jobsUnavailable", `could not send the event to the background engine: ${(err as Error).message}`, { cause: err });
    }
  });
