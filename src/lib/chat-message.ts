import { z } from "zod";

/*
 * The one shape of a chat message, for both sides: the server builds it from
 * the Message row (server/services/chat/dto.ts), tRPC carries it as is
 * (superjson keeps the Date), and the NDJSON stream of POST /api/t/<slug>/chat
 * carries its JSON form, where the date is an ISO string. It lives in lib
 * because the server and the browser both import it and lib imports neither,
 * so a field added here reaches both transports and the client together.
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
  /** The passage, trimmed to MAX_CITATION_TEXT_CHARS (server/services/chat/dto.ts). */
  text: string;
};

export type ChatMessage = {
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

/** The NDJSON form: dates as ISO strings. */
export type ChatMessageJson = Omit<ChatMessage, "createdAt"> & { createdAt: string };

export const toChatMessageJson = (m: ChatMessage): ChatMessageJson => ({ ...m, createdAt: m.createdAt.toISOString() });
export const fromChatMessageJson = (m: ChatMessageJson): ChatMessage => ({ ...m, createdAt: new Date(m.createdAt) });

// ─── reading the JSON form in the browser ───────────────────────────────────
// The browser trusts nothing it did not validate. These schemas are checked
// against the types above (a field added there and not here fails to compile);
// they are lenient where the server is strict (its length limits are its own
// storage rules, see dto.ts), so a valid server message is never refused.

const ZCitationJson = z.object({
  n: z.number().int().min(1),
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  page: z.number().int().nullable(),
  heading: z.string().nullable(),
  text: z.string(),
}) satisfies z.ZodType<Citation, unknown>;

/** An answer's sources as the stream sends them; an unreadable list must not cost the answer: it is shown without them. */
export const ZCitationListJson = z.array(ZCitationJson).catch([]);

const ZIsoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)));

/** A message in its JSON form, parsed into a ChatMessage (createdAt back to a Date). */
export const ZChatMessageFromJson: z.ZodType<ChatMessage, unknown> = z
  .object({
    id: z.string(),
    role: z.enum(MESSAGE_ROLES),
    content: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    errorReason: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    offline: z.boolean(),
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    timeToFirstTokenMs: z.number().nullable(),
    createdAt: ZIsoDate,
    citations: ZCitationListJson.default([]),
  })
  .transform((m) => fromChatMessageJson(m satisfies ChatMessageJson));
