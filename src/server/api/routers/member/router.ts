import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { changeMemberRole, leaveTenant, listMembers, removeMember } from "~/server/services/tenancy/members";
import { ZChangeRoleInput, ZChangeRoleOutput, ZLeaveOutput, ZListMembersOutput, ZRemoveMemberInput, ZRemoveMemberOutput } from "./schemas";

export const memberRouter = createTRPCRouter({
  list: tenantProcedure("VIEWER").output(ZListMembersOutput).query(({ ctx }) => listMembers(ctx.tenant)),
  // The service also requires OWNER; the procedure says so up front.
  changeRole: tenantProcedure("OWNER").input(ZChangeRoleInput).output(ZChangeRoleOutput).mutation(({ ctx, input }) => changeMemberRole(ctx.tenant, input)),
  remove: tenantProcedure("ADMIN").input(ZRemoveMemberInput).output(ZRemoveMemberOutput).mutation(({ ctx, input }) => removeMember(ctx.tenant, input)),
  leave: tenantProcedure("VIEWER").output(ZLeaveOutput).mutation(({ ctx }) => leaveTenant(ctx.tenant)),
});
