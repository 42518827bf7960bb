import { z } from "zod";
import type { RouterOutputs } from "~/trpc/react";

// The chat's client-side shapes, as in the chat contract (tRPC `chat.*` and the
// NDJSON stream of POST /api/t/<slug>/chat). The stream's events are parsed
// with zod: the browser trusts nothing it did not validate, and dates arrive
// as ISO strings there.

const MESSAGE_STATUSES = ["complete", "streaming", "failed", "stopped"] as const;

/** A message as `chat.get` returns it (and as the stream's events carry it, once parsed). */
export type ChatMessage = RouterOutputs["chat"]["get"]["messages"][number];

/** A source an answer cites as [n]: the saved passage of a workspace document. */
export type Citation = ChatMessage["citations"][number];

export type ConversationMeta = Pick<RouterOutputs["chat"]["get"]["conversation"], "id" | "title" | "personaKey" | "personaName" | "inputTokens" | "outputTokens">;

export type PersonaOption = RouterOutputs["chat"]["personas"]["personas"][number];

const ZCitation: z.ZodType<Citation, unknown> = z.object({
  n: z.number().int().min(1),
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  page: z.number().int().nullable(),
  heading: z.string().nullable(),
  text: z.string(),
});
// An unreadable list of sources must not cost the answer: it is shown without them.
const ZCitationList = z.array(ZCitation).catch([]);

const ZMessage: z.ZodType<ChatMessage, unknown> = z.object({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  errorReason: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  offline: z.boolean(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  createdAt: z.coerce.date(),
  citations: ZCitationList.default([]),
});

export const ZStreamEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    conversation: z.object({ id: z.string(), title: z.string(), personaKey: z.string() }),
    userMessage: ZMessage,
    assistantMessageId: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    offline: z.boolean(),
    citations: ZCitationList.default([]),
  }),
  z.object({ type: z.literal("delta"), text: z.string() }),
  z.object({ type: z.literal("done"), message: ZMessage, conversation: z.object({ inputTokens: z.number(), outputTokens: z.number() }) }),
  z.object({ type: z.literal("error"), reason: z.string(), message: ZMessage }),
]);
export type StreamEvent = z.infer<typeof ZStreamEvent>;

/** One turn; `locale` (the page's) is the language the answer should be written in. */
export type TurnRequest = { locale?: string } & (
  | { action: "send"; conversationId?: string; personaKey: string; content: string }
  | { action: "regenerate"; conversationId: string }
  | { action: "retry"; conversationId: string; messageId: string }
);
