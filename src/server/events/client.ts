/**
 * The one Inngest client (SDK v4). Configuration comes from the SDK's own
 * environment variables:
 * - Inngest Cloud / self-hosted: INNGEST_SIGNING_KEY + INNGEST_EVENT_KEY (cloud
 *   mode; call requests must be signed), optionally INNGEST_BASE_URL.
 * - Inngest Dev Server or our local executor: INNGEST_DEV=1 or
 *   INNGEST_DEV=<origin> (e.g. http://127.0.0.1:8288); the SDK then sends
 *   events to <origin>/e/<key> and accepts unsigned call requests.
 * - Nothing set: dev mode outside production; in production, cloud mode, so
 *   a deployment that forgot INNGEST_SIGNING_KEY refuses unsigned call
 *   requests instead of running functions for anyone who POSTs to
 *   /api/inngest.
 * - npm start's local executor (inngest/local, ADR 0007): cloud mode, not
 *   INNGEST_DEV (which would also accept unsigned call requests): a generated
 *   INNGEST_SIGNING_KEY the executor signs with, INNGEST_EVENT_KEY, and
 *   INNGEST_BASE_URL=<executor origin>, where the SDK then sends events
 *   (scripts/lib/jobs-env.mjs).
 */
import { Inngest } from "inngest";
import { env } from "~/env";
import { JobTelemetryMiddleware } from "./telemetry";

type InngestModeEnv = { INNGEST_DEV?: string; INNGEST_SIGNING_KEY?: string; NODE_ENV?: string };

/** undefined: let the SDK read INNGEST_DEV itself; otherwise dev only outside production and without a signing key. */
export const inngestIsDev = (e: InngestModeEnv = env): boolean | undefined =>
  e.INNGEST_DEV ? undefined : !e.INNGEST_SIGNING_KEY && e.NODE_ENV !== "production";

const isDev = inngestIsDev();

export const inngest = new Inngest({
  id: "ocsuite",
  ...(isDev === undefined ? {} : { isDev }),
  middleware: [JobTelemetryMiddleware],
});

export type InngestClient = typeof inngest;
