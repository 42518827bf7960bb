import { z } from "zod";
import { ZChatMessageFromJson, ZCitationListJson } from "~/lib/chat-message";
import type { RouterOutputs } from "~/trpc/react";

// The chat's client-side shapes, as in the chat contract (tRPC `chat.*` and the
// NDJSON stream of POST /api/t/<slug>/chat). The stream's events are parsed
// with zod: the browser trusts nothing it did not validate, and dates arrive
// as ISO strings there. The message itself is the shared ~/lib/chat-message.

export type ConversationMeta = Pick<RouterOutputs["chat"]["get"]["conversation"], "id" | "title" | "personaKey" | "personaName" | "inputTokens" | "outputTokens">;

export const ZStreamEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    conversation: z.object({ id: z.string(), title: z.string(), personaKey: z.string() }),
    userMessage: ZChatMessageFromJson,
    assistantMessageId: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    offline: z.boolean(),
    citations: ZCitationListJson.default([]),
  }),
  z.object({ type: z.literal("delta"), text: z.string() }),
  z.object({ type: z.literal("done"), message: ZChatMessageFromJson, conversation: z.object({ inputTokens: z.number(), outputTokens: z.number() }) }),
  z.object({ type: z.literal("error"), reason: z.string(), message: ZChatMessageFromJson }),
]);
export type StreamEvent = z.infer<typeof ZStreamEvent>;

/** One turn; `locale` (the page's) is the language the answer should be written in. */
export type TurnRequest = { locale?: string } & (
  | { action: "send"; conversationId?: string; personaKey: string; content: string }
  | { action: "regenerate"; conversationId: string }
  | { action: "retry"; conversationId: string; messageId: string }
);
