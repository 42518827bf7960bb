import { NonRetriableError } from "inngest";
import { masterKeyRotationRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { isAppError } from "~/server/errors";
import { rewrapBatch, verifyMasterRotation } from "~/server/services/key-rotation/master-key-rotation";
import { failRotation } from "~/server/services/key-rotation/rotation-verify";

/** Verification passes before giving up (each pass re-runs the batches for keys wrapped meanwhile under the old version). */
const MAX_PASSES = 5;

/**
 * Master-key rotation: re-wraps every tenant's data keys under the key ring's
 * current KEK version, 50 tenants per checkpointed batch, then verifies that
 * no data key is left under an old version (services/key-rotation/master-key-rotation.ts).
 * Field ciphertexts are not touched. One master operation at a time.
 */
export const rotateMasterKey = inngest.createFunction(
  {
    id: "security-rotate-master-key",
    name: "Re-wrap data keys under the current master key",
    triggers: [masterKeyRotationRequested],
    retries: 4,
    concurrency: [{ limit: 1 }],
    idempotency: "event.data.rotationId",
    onFailure: async ({ event, error, step }) => {
      await step.run("mark-failed", () => failRotation(event.data.event.data.rotationId, error.message));
    },
  },
  async ({ event, step }) => {
    const { rotationId } = event.data;
    const run = <T>(work: () => Promise<T>) => async () => {
      try {
        return await work();
      } catch (err) {
        if (isAppError(err) && err.reason === "notFound") throw new NonRetriableError(err.reason, { cause: err });
        throw err;
      }
    };
    let rewrapped = 0;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      for (let batch = 1; ; batch++) {
        const result = await step.run(`rewrap-${pass}-${batch}`, run(() => rewrapBatch(rotationId)));
        rewrapped += result.rewrapped;
        if (result.done) break;
      }
      const verified = await step.run(`verify-${pass}`, run(() => verifyMasterRotation(rotationId)));
      if (verified.completed) return { status: "completed", rewrapped, passes: pass };
    }
    throw new NonRetriableError("staleDataKeysRemain");
  },
);
