import { z } from "zod";
import { MESSAGE_STATUSES, toChatMessageJson, type ChatMessage, type Citation, type MessageRole, type MessageStatus } from "~/lib/chat-message";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";

/*
 * What the chat shows: one shape for a message (tRPC and the NDJSON stream),
 * built from the Message row in one place so both transports agree. The shape
 * itself is declared once, in ~/lib/chat-message, which the browser reads too;
 * it is re-exported here under the names the server code already uses.
 */

export { MESSAGE_ROLES, MESSAGE_STATUSES, type Citation, type MessageRole, type MessageStatus } from "~/lib/chat-message";

export const MAX_CITATIONS = 20;
export const MAX_CITATION_TEXT_CHARS = 1_500;

export const ZCitation = z.object({
  n: z.number().int().min(1).max(MAX_CITATIONS),
  chunkId: z.string().max(64),
  documentId: z.string().max(64),
  title: z.string().max(1_000),
  page: z.number().int().nullable(),
  heading: z.string().max(1_000).nullable(),
  text: z.string().max(MAX_CITATION_TEXT_CHARS + 1),
}) satisfies z.ZodType<Citation, unknown>;
export const ZCitations = z.array(ZCitation).max(MAX_CITATIONS);

/** The citations column as read back: anything that is not a valid list (old rows: null) is no citations. */
export const citationsFromJson = (value: unknown): Citation[] => {
  const parsed = ZCitations.safeParse(value);
  return parsed.success ? parsed.data : [];
};

/** A message as the server hands it out (see ~/lib/chat-message). */
export type ChatMessageDto = ChatMessage;

/** The Message columns a DTO needs (select these). */
export const MESSAGE_SELECT = {
  id: true,
  role: true,
  content: true,
  status: true,
  errorReason: true,
  provider: true,
  model: true,
  offline: true,
  inputTokens: true,
  outputTokens: true,
  timeToFirstTokenMs: true,
  createdAt: true,
  citations: true,
} as const;

type MessageRow = { [K in keyof typeof MESSAGE_SELECT]: K extends "role" | "status" ? string : K extends "citations" ? unknown : ChatMessageDto[K] };

const asRole = (r: string): MessageRole => (r === "assistant" ? "assistant" : "user");
const asStatus = (s: string): MessageStatus => ((MESSAGE_STATUSES as readonly string[]).includes(s) ? (s as MessageStatus) : "failed");

export const toMessageDto = (m: MessageRow): ChatMessageDto => ({
  id: m.id,
  role: asRole(m.role),
  content: m.content,
  status: asStatus(m.status),
  errorReason: m.errorReason,
  provider: m.provider,
  model: m.model,
  offline: m.offline,
  inputTokens: m.inputTokens,
  outputTokens: m.outputTokens,
  timeToFirstTokenMs: m.timeToFirstTokenMs,
  createdAt: m.createdAt,
  citations: citationsFromJson(m.citations),
});

/** The NDJSON form (dates as ISO strings); the browser reads it back with ~/lib/chat-message. */
export type { ChatMessageJson } from "~/lib/chat-message";
export const toMessageJson = toChatMessageJson;

export const MAX_TITLE_CHARS = 80;

/** A new conversation's title: the first non-empty line of the first message, at most 80 characters. */
export const titleFromContent = (content: string): string => {
  const line = content
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, " ").trim())
    .find((l) => l.length > 0);
  if (!line) return "…";
  const chars = Array.from(line);
  return chars.length <= MAX_TITLE_CHARS ? line : `${chars.slice(0, MAX_TITLE_CHARS - 1).join("").trimEnd()}…`;
};

/** The model name shown for a persona's model summary (offline has a fixed id). */
export const displayModel = (summary: { offline: boolean; model: string | null }): string | null => (summary.offline ? OFFLINE_MODEL_ID : summary.model);
