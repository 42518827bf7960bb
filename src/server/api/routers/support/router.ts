import { createTRPCRouter, platformAdminProcedure, tenantProcedure } from "~/server/api/trpc";
import { dismissSupportNotice, listSupportNotices } from "~/server/services/support/notices";
import { supportListConversations, supportListDocuments, supportListMeetings, supportListTasks, supportReadConversation } from "~/server/services/support/reads";
import { endSupportSession, getSupportSession, listSupportSessions, openSupportSession, supportReadContext } from "~/server/services/support/sessions";
import {
  ZDismissNoticeOutput,
  ZNoticeId,
  ZOpenSupportSessionInput,
  ZSupportConversation,
  ZSupportConversationInput,
  ZSupportConversations,
  ZSupportDocuments,
  ZSupportGetOutput,
  ZSupportListInput,
  ZSupportListOutput,
  ZSupportMeetings,
  ZSupportNotices,
  ZSupportSession,
  ZSupportSessionId,
  ZSupportTasks,
  ZSupportTenantInput,
} from "./schemas";

/**
 * Support access (break-glass): platform admins open a time-boxed session for
 * one tenant and read its content only inside it (every read audited on the
 * tenant's chain); the tenant's owners see and dismiss the notice.
 */
export const supportRouter = createTRPCRouter({
  open: platformAdminProcedure.input(ZOpenSupportSessionInput).output(ZSupportSession).mutation(({ ctx, input }) => openSupportSession(ctx.userCtx, input)),
  end: platformAdminProcedure.input(ZSupportSessionId).output(ZSupportSession).mutation(({ ctx, input }) => endSupportSession(ctx.userCtx, input)),
  list: platformAdminProcedure.input(ZSupportListInput).output(ZSupportListOutput).query(({ ctx, input }) => listSupportSessions(ctx.userCtx, input)),
  get: platformAdminProcedure.input(ZSupportSessionId).output(ZSupportGetOutput).query(({ ctx, input }) => getSupportSession(ctx.userCtx, input)),
  // Reads: only with the caller's live session for the tenant (FORBIDDEN supportSessionRequired / supportSessionExpired otherwise).
  conversations: platformAdminProcedure
    .input(ZSupportTenantInput)
    .output(ZSupportConversations)
    .query(async ({ ctx, input }) => supportListConversations(await supportReadContext(ctx.user.id, input.tenantId, ctx.meta))),
  conversation: platformAdminProcedure
    .input(ZSupportConversationInput)
    .output(ZSupportConversation)
    .query(async ({ ctx, input }) => supportReadConversation(await supportReadContext(ctx.user.id, input.tenantId, ctx.meta), input)),
  documents: platformAdminProcedure
    .input(ZSupportTenantInput)
    .output(ZSupportDocuments)
    .query(async ({ ctx, input }) => supportListDocuments(await supportReadContext(ctx.user.id, input.tenantId, ctx.meta))),
  meetings: platformAdminProcedure
    .input(ZSupportTenantInput)
    .output(ZSupportMeetings)
    .query(async ({ ctx, input }) => supportListMeetings(await supportReadContext(ctx.user.id, input.tenantId, ctx.meta))),
  tasks: platformAdminProcedure
    .input(ZSupportTenantInput)
    .output(ZSupportTasks)
    .query(async ({ ctx, input }) => supportListTasks(await supportReadContext(ctx.user.id, input.tenantId, ctx.meta))),
  // The tenant side: owners see the notice and dismiss it.
  notices: tenantProcedure("OWNER").output(ZSupportNotices).query(({ ctx }) => listSupportNotices(ctx.tenant)),
  dismissNotice: tenantProcedure("OWNER").input(ZNoticeId).output(ZDismissNoticeOutput).mutation(({ ctx, input }) => dismissSupportNotice(ctx.tenant, input)),
});
