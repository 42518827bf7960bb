import { createTRPCRouter, protectedProcedure, publicProcedure, tenantProcedure } from "~/server/api/trpc";
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from "~/server/services/tenancy/invitations";
import {
  ZAcceptOutput,
  ZCreateInvitationInput,
  ZCreateInvitationOutput,
  ZListInvitationsOutput,
  ZPreviewOutput,
  ZRevokeInvitationInput,
  ZRevokeInvitationOutput,
  ZTokenInput,
} from "./schemas";

export const invitationRouter = createTRPCRouter({
  list: tenantProcedure("ADMIN").output(ZListInvitationsOutput).query(({ ctx }) => listInvitations(ctx.tenant)),
  create: tenantProcedure("ADMIN")
    .input(ZCreateInvitationInput)
    .output(ZCreateInvitationOutput)
    .mutation(({ ctx, input }) => createInvitation(ctx.tenant, { ...input, appUrl: ctx.appUrl })),
  revoke: tenantProcedure("ADMIN").input(ZRevokeInvitationInput).output(ZRevokeInvitationOutput).mutation(({ ctx, input }) => revokeInvitation(ctx.tenant, input)),
  preview: publicProcedure.input(ZTokenInput).output(ZPreviewOutput).query(({ input }) => previewInvitation(input.token)),
  accept: protectedProcedure.input(ZTokenInput).output(ZAcceptOutput).mutation(({ ctx, input }) => acceptInvitation(ctx.userCtx, input.token)),
});
