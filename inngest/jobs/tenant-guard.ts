import { NonRetriableError } from "inngest";
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
