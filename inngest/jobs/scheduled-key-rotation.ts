import { inngest } from "~/server/events/client";
import { startScheduledRotations } from "~/server/services/key-rotation/scheduled-rotation";
import { moveDataKeysUnderVault } from "~/server/services/key-rotation/vault-migration";

/**
 * Daily at 03:00 UTC: every tenant whose active data key is older than
 * KEY_ROTATION_MAX_AGE_DAYS (default 90) gets a rotation request (each then
 * runs as security-rotate-data-key). Then data keys still wrapped by the master keys alone
 * (from before the workspace key vault, ADR 0016) are moved under their workspace's vault key,
 * so an upgrade completes by itself even if nobody runs `npm run content:seal`. Runs on
 * Inngest's scheduler in production and on the local executor's cron support in the embedded default.
 */
export const scheduledKeyRotation = inngest.createFunction(
  { id: "security-scheduled-key-rotation", name: "Scheduled data-key rotation", triggers: [{ cron: "TZ=UTC 0 3 * * *" }], retries: 2, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const rotations = await step.run("start-due-rotations", () => startScheduledRotations());
    const vault = await step.run("move-keys-under-vault", () => moveDataKeysUnderVault());
    return { rotations, vault };
  },
);
