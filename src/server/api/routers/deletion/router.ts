import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { cancelWorkspaceDeletion, getWorkspaceDeletionStatus, requestWorkspaceDeletion } from "~/server/services/privacy/workspace-deletion";
import { ZRequestWorkspaceDeletionInput, ZWorkspaceDeletionStatus } from "./schemas";

/** Workspace deletion with a grace period (issue 16): the state for every member's banner, owners request and cancel. */
export const deletionRouter = createTRPCRouter({
  status: tenantProcedure("VIEWER").output(ZWorkspaceDeletionStatus).query(({ ctx }) => getWorkspaceDeletionStatus(ctx.tenant)),
  requestWorkspace: tenantProcedure("OWNER")
    .input(ZRequestWorkspaceDeletionInput)
    .output(ZWorkspaceDeletionStatus)
    .mutation(({ ctx, input }) => requestWorkspaceDeletion(ctx.tenant, input)),
  cancelWorkspace: tenantProcedure("OWNER").output(ZWorkspaceDeletionStatus).mutation(({ ctx }) => cancelWorkspaceDeletion(ctx.tenant)),
});
