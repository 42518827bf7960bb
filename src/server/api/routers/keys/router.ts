import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { requestDataKeyRotation, requestRollback } from "~/server/services/key-rotation/data-key-rotation";
import { destroyKeyVersion } from "~/server/services/key-rotation/key-destroy";
import { getTenantKeyStatus } from "~/server/services/key-rotation/key-status";
import { ZDestroyKeyInput, ZDestroyKeyOutput, ZRotation, ZTenantKeyStatus } from "./schemas";

/**
 * A workspace's encryption keys (/t/<slug>/settings/security): owners rotate,
 * roll back and destroy; admins may look. Every action is audited on the
 * tenant's and the platform's chain by the service.
 */
export const keysRouter = createTRPCRouter({
  status: tenantProcedure("ADMIN").output(ZTenantKeyStatus).query(({ ctx }) => getTenantKeyStatus(ctx.tenant)),
  rotate: tenantProcedure("OWNER")
    .output(ZRotation)
    .mutation(({ ctx }) => requestDataKeyRotation(ctx.tenant.tenantId, { userId: ctx.tenant.userId, meta: ctx.tenant.meta }, "manual")),
  rollback: tenantProcedure("OWNER")
    .output(ZRotation)
    .mutation(({ ctx }) => requestRollback(ctx.tenant.tenantId, { userId: ctx.tenant.userId, meta: ctx.tenant.meta })),
  destroy: tenantProcedure("OWNER").input(ZDestroyKeyInput).output(ZDestroyKeyOutput).mutation(({ ctx, input }) => destroyKeyVersion(ctx.tenant, input)),
});
