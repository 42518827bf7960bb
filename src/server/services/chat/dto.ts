import { z } from "zod";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";

/*
 * What the chat shows: one shape for a message (tRPC and the NDJSON stream),
 * built from the Message row in one place so both transports agree.
 */

export const MESSAGE_ROLES = ["user", "assistant"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];
export const MESSAGE_STATUSES = ["complete", "streaming", "failed", "stopped"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * A passage an answer was grounded on, numbered as the model saw it ([n] in
 * the answer refers to `n`). Saved on the assistant message so the answer keeps
 * its sources even after the document is deleted or re-indexed.
 */
export type Citation = {
  n: number;
  chunkId: string;
  documentId: string;
  /** The document's title (without the page). */
  title: string;
  page: number | null;
  heading: string | null;
  /** The passage, trimmed to MAX_CITATION_TEXT_CHARS. */
  text: string;
};

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
});
export const ZCitations = z.array(ZCitation).max(MAX_CITATIONS);

/** The citations column as read back: anything that is not a valid list (old rows: null) is no citations. */
export const citationsFromJson = (value: unknown): Citation[] => {
  const parsed = ZCitations.safeParse(value);
  return parsed.success ? parsed.data : [];
};

export type ChatMessageDto = {
  id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  errorReason: string | null;
  provider: string | null;
  model: string | null;
  offline: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  timeToFirstTokenMs: number | null;
  createdAt: Date;
  /** The passages the answer could cite ([] for user messages and ungrounded answers). */
  citations: Citation[];
};

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

/** The NDJSON form: dates as ISO strings. */
export type ChatMessageJson = Omit<ChatMessageDto, "createdAt"> & { createdAt: string };
export const toMessageJson = (m: ChatMessageDto): ChatMessageJson => ({ ...m, createdAt: m.createdAt.toISOString() });

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
