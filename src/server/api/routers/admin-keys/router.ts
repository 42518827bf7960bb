import { createTRPCRouter, platformAdminProcedure } from "~/server/api/trpc";
import { getFleetKeyStatus } from "~/server/services/key-rotation/key-status";
import { requestMasterKeyRotation } from "~/server/services/key-rotation/master-key-rotation";
import { startFleetRotation } from "~/server/services/key-rotation/scheduled-rotation";
import { ZRotation } from "../keys/schemas";
import { ZFleetKeyStatus, ZFleetRotationInput, ZFleetRotationOutput } from "./schemas";

/**
 * /admin/keys for platform admins (mounted as admin.keys): fleet-wide data-key
 * age and master-key versions, recent operations, and the master-key rewrap.
 * platformAdminProcedure audits every call; the service audits each step.
 */
export const adminKeysRouter = createTRPCRouter({
  fleet: platformAdminProcedure.output(ZFleetKeyStatus).query(() => getFleetKeyStatus()),
  rotateMaster: platformAdminProcedure.output(ZRotation).mutation(({ ctx }) => requestMasterKeyRotation({ userId: ctx.user.id, meta: ctx.meta })),
  // Incident response: every tenant's data key, now (docs/runbooks/key-rotation.md, "Compromise").
  // With tenantIds, only those workspaces (an exposure limited to some of them).
  rotateAllDataKeys: platformAdminProcedure
    .input(ZFleetRotationInput)
    .output(ZFleetRotationOutput)
    .mutation(({ ctx, input }) => startFleetRotation({ userId: ctx.user.id, meta: ctx.meta }, { tenantIds: input?.tenantIds })),
});
