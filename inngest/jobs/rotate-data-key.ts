import { NonRetriableError } from "inngest";
import { env } from "~/env";
import { dataKeyRotationRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { isAppError } from "~/server/errors";
import { beginRotation, reencryptBatch } from "~/server/services/key-rotation/data-key-rotation";
import { failRotation, retireReplacedVersion, verifyRotation } from "~/server/services/key-rotation/rotation-verify";

/** Reasons a retry cannot fix: the rotation stops at once (keys stay readable; the owner is told). */
const PERMANENT = new Set(["undecryptableSecret", "activeVersionChanged", "notFound"]);

/** A step's AppError becomes an error whose message is its reason (what onFailure records). */
const step = <T>(work: () => Promise<T>) => async (): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    if (!isAppError(err)) throw err;
    if (PERMANENT.has(err.reason)) throw new NonRetriableError(err.reason, { cause: err });
    throw new Error(err.reason, { cause: err });
  }
};

/**
 * A tenant data-key rotation or rollback (services/key-rotation; ADR 0012):
 *   begin → wait one key-cache TTL (no process still encrypts with the old
 *   version) → re-encrypt in checkpointed batches → verify every secret →
 *   wait the rollback window → retire the replaced version.
 * Every step re-reads the KeyRotation row, so a killed worker resumes after the
 * last committed batch; step outputs are counts and versions only (no secret
 * ever appears in an event or a step result). One operation per tenant at a
 * time (and a partial unique index), at most 4 tenants re-encrypting at once
 * across the fleet, so rotations never crowd out user work.
 */
export const rotateDataKey = inngest.createFunction(
  {
    id: "security-rotate-data-key",
    name: "Rotate a tenant data key",
    triggers: [dataKeyRotationRequested],
    retries: 4,
    concurrency: [{ key: "event.data.tenantId", limit: 1 }, { limit: 4 }],
    idempotency: "event.data.rotationId",
    onFailure: async ({ event, error, step: s }) => {
      await s.run("mark-failed", () => failRotation(event.data.event.data.rotationId, error.message));
    },
  },
  async ({ event, step: s }) => {
    const { rotationId } = event.data;
    const begun = await s.run("begin", step(() => beginRotation(rotationId)));
    if (begun.status !== "reencrypting") return { status: begun.status };
    await s.sleep("wait-for-key-caches", `${env.KEY_CACHE_TTL_SECONDS}s`);
    let rows = 0;
    for (let batch = 1; ; batch++) {
      const result = await s.run(`reencrypt-batch-${batch}`, step(() => reencryptBatch(rotationId)));
      rows += result.rows;
      if (result.done) break;
    }
    const verified = await s.run("verify", step(() => verifyRotation(rotationId)));
    if (!verified.retireAfter) return { status: "not-verified", rows };
    await s.sleepUntil("rollback-window", verified.retireAfter);
    const retired = await s.run("retire-replaced-version", step(() => retireReplacedVersion(rotationId)));
    return { status: retired.reason, rows, verified: verified.verified };
  },
);
