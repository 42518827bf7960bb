import { OFFLINE_MODEL_ID } from "../llm/offline-model";

/*
 * What the chat shows: one shape for a message (tRPC and the NDJSON stream),
 * built from the Message row in one place so both transports agree.
 */

export const MESSAGE_ROLES = ["user", "assistant"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];
export const MESSAGE_STATUSES = ["complete", "streaming", "failed", "stopped"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

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
} as const;

type MessageRow = { [K in keyof typeof MESSAGE_SELECT]: K extends "role" | "status" ? string : ChatMessageDto[K] };

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
