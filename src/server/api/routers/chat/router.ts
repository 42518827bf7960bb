import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { deleteConversation, getConversation, listChatPersonas, listConversations, renameConversation } from "~/server/services/chat/conversations";
import {
  ZChatPersonasOutput,
  ZConversationId,
  ZDeleteConversationOutput,
  ZGetConversationOutput,
  ZListConversationsInput,
  ZListConversationsOutput,
  ZRenameConversationInput,
  ZRenameConversationOutput,
} from "./schemas";

/**
 * A member's private conversations with the personas. Sending, regenerating
 * and retrying stream over POST /api/t/[tenantSlug]/chat (NDJSON), not tRPC.
 */
export const chatRouter = createTRPCRouter({
  personas: tenantProcedure("MEMBER").output(ZChatPersonasOutput).query(({ ctx }) => listChatPersonas(ctx.tenant)),
  list: tenantProcedure("MEMBER").input(ZListConversationsInput).output(ZListConversationsOutput).query(({ ctx, input }) => listConversations(ctx.tenant, input)),
  get: tenantProcedure("MEMBER").input(ZConversationId).output(ZGetConversationOutput).query(({ ctx, input }) => getConversation(ctx.tenant, input)),
  rename: tenantProcedure("MEMBER").input(ZRenameConversationInput).output(ZRenameConversationOutput).mutation(({ ctx, input }) => renameConversation(ctx.tenant, input)),
  delete: tenantProcedure("MEMBER").input(ZConversationId).output(ZDeleteConversationOutput).mutation(({ ctx, input }) => deleteConversation(ctx.tenant, input)),
});
