import { z } from "zod";
import { MESSAGE_ROLES, MESSAGE_STATUSES, ZCitations } from "~/server/services/chat/dto";
import { ZConversationTitle, ZListConversationsInput } from "~/server/services/chat/conversations";
import type { ChatMessage } from "~/lib/chat-message";

export { ZListConversationsInput };

export const ZConversationId = z.object({ id: z.string().min(1).max(64) });
export const ZRenameConversationInput = ZConversationId.extend({ title: ZConversationTitle });

export const ZChatPersona = z.object({
  key: z.string(),
  name: z.string(),
  mandate: z.string(),
  offline: z.boolean(),
  provider: z.string(),
  model: z.string().nullable(),
});
export const ZChatPersonasOutput = z.object({ personas: z.array(ZChatPersona) });

export const ZConversationListItem = z.object({
  id: z.string(),
  title: z.string(),
  personaKey: z.string(),
  lastMessageAt: z.date(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  messageCount: z.number().int(),
  snippet: z.string().nullable(),
});
export const ZListConversationsOutput = z.object({ items: z.array(ZConversationListItem), nextCursor: z.string().nullable() });

// The tRPC output of the one shared message type (lib/chat-message.ts): a field
// added there and not here, or typed differently, fails to compile.
export const ZChatMessage = z.object({
  id: z.string(),
  role: z.enum(MESSAGE_ROLES),
  content: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  errorReason: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  offline: z.boolean(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  timeToFirstTokenMs: z.number().int().nullable(),
  createdAt: z.date(),
  /** The passages an answer may cite as [n]; [] when it was not grounded. */
  citations: ZCitations,
}) satisfies z.ZodType<ChatMessage, ChatMessage>;

export const ZGetConversationOutput = z.object({
  conversation: z.object({
    id: z.string(),
    title: z.string(),
    personaKey: z.string(),
    personaName: z.string(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    createdAt: z.date(),
    lastMessageAt: z.date(),
  }),
  messages: z.array(ZChatMessage),
});

export const ZRenameConversationOutput = z.object({ id: z.string(), title: z.string() });
export const ZDeleteConversationOutput = z.object({ id: z.string() });

export type TChatPersonasOutput = z.infer<typeof ZChatPersonasOutput>;
export type TChatPersona = z.infer<typeof ZChatPersona>;
export type TListConversationsOutput = z.infer<typeof ZListConversationsOutput>;
export type TConversationListItem = z.infer<typeof ZConversationListItem>;
export type TChatMessage = z.infer<typeof ZChatMessage>;
export type TGetConversationOutput = z.infer<typeof ZGetConversationOutput>;
export type TRenameConversationOutput = z.infer<typeof ZRenameConversationOutput>;
export type TDeleteConversationOutput = z.infer<typeof ZDeleteConversationOutput>;
