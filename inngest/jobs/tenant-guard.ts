import { NonRetriableError } from "inngest";
import { isPermanent, reasonOf } from "~/server/services/assist/failures";
import { assertTenantActive, isTenantSuspendedError } from "~/server/services/tenancy/tenant-status";

/**
 * Every tenant-scoped job step calls this first: a suspended tenant's work stops
 * for good with the reason `tenantSuspended` (no retries — only an admin's
 * reactivation can help; the dead letter can be replayed then). See
 * services/tenancy/tenant-status.ts for why requests alone are not enough.
 */
export const stopIfSuspended = async (tenantId: string): Promise<void> => {
  try {
    await assertTenantActive(tenantId);
  } catch (err) {
    if (isTenantSuspendedError(err)) throw new NonRetriableError("tenantSuspended", { cause: err });
    throw err;
  }
};

/**
 * The error a failed step hands to Inngest. Its message is the stable reason,
 * because only the message survives serialisation to onFailure; a reason
 * retrying cannot fix (services/assist/failures.ts) becomes a NonRetriableError.
 */
export const toStepError = (err: unknown): unknown => {
  const reason = reasonOf(err);
  if (reason === null) return err;
  if (isPermanent(reason)) return new NonRetriableError(reason, { cause: err });
  return new Error(reason, { cause: err });
};

/** A tenant-scoped step's work: stops for a suspended tenant, then runs with its failure mapped by toStepError. */
export const guardedStep = async <T>(tenantId: string, work: () => Promise<T>): Promise<T> => {
  await stopIfSuspended(tenantId);
  try {
    return await work();
  } catch (err) {
    throw toStepError(err);
  }
};
