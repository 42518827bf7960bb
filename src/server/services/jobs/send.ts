import { inngest } from "~/server/events/client";
import { AppError } from "~/server/errors";

type Payload = Parameters<typeof inngest.send>[0];

/**
 * Sends events through the app's Inngest client (Inngest Cloud, a self-hosted
 * Inngest, or the local executor via INNGEST_DEV). When the engine cannot be
 * reached (after the SDK's own retries) the caller gets a clear
 * SERVICE_UNAVAILABLE / `jobsUnavailable` instead of an internal error.
 */
export const sendJobEvent = async (payload: Payload): Promise<string[]> => {
  try {
    return (await inngest.send(payload)).ids;
  } catch (err) {
    throw new AppError("SERVICE_UNAVAILABLE", "jobsUnavailable", `could not send the event to the background engine: ${(err as Error).message}`, { cause: err });
  }
};
