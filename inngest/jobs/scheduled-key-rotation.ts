import { inngest } from "~/server/events/client";
import { startScheduledRotations } from "~/server/services/key-rotation/scheduled-rotation";

/**
 * Daily at 03:00 UTC: every tenant whose active data key is older than
 * KEY_ROTATION_MAX_AGE_DAYS (default 90) gets a rotation request (each then
 * runs as security-rotate-data-key). Runs on Inngest's scheduler in production
 * and on the local executor's cron support in the embedded default.
 */
export const scheduledKeyRotation = inngest.createFunction(
  { id: "security-scheduled-key-rotation", name: "Scheduled data-key rotation", triggers: [{ cron: "TZ=UTC 0 3 * * *" }], retries: 2, concurrency: [{ limit: 1 }] },
  async ({ step }) => step.run("start-due-rotations", () => startScheduledRotations()),
);
