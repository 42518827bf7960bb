import { z } from "zod";
import { LOCALES } from "~/lib/locales";
import { AppError } from "~/server/errors";
import { metrics } from "~/server/infra/metrics";
import type { RetrievalTuning } from "../assist/grounding";
import type { GatewayTuning } from "../assist/persona-call";
import type { RequestMeta } from "../context";
import type { ChatMessageDto, Citation, MessageStatus } from "./dto";

// What a chat turn takes (the request, its options) and what it gives back
// (the events the HTTP route streams, the outcome). turns.ts runs it.

export const MAX_CONTENT_CHARS = 20_000;
/** A "streaming" row not touched for this long belongs to a dead process, not a live turn. */
export const STREAMING_STALE_MS = 2 * 60_000;
/** History budget sent to the model: the most recent messages within both limits. */
export const MAX_HISTORY_MESSAGES = 40;
export const MAX_HISTORY_CHARS = 60_000;
/** Passages retrieved per question and handed to the model as numbered context. */
export const GROUNDING_PASSAGES = 6;

const ZId = z.string().min(1).max(64);
const ZLocale = z.enum(LOCALES).optional();

export const ZChatTurnInput = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("send"),
    conversationId: ZId.optional(),
    personaKey: z.string().trim().min(1).max(40),
    content: z.string().trim().min(1).max(MAX_CONTENT_CHARS),
    locale: ZLocale,
  }),
  z.object({ action: z.literal("regenerate"), conversationId: ZId, locale: ZLocale }),
  z.object({ action: z.literal("retry"), conversationId: ZId, messageId: ZId, locale: ZLocale }),
]);
export type ChatTurnInput = z.input<typeof ZChatTurnInput>;
export type ParsedTurnInput = z.output<typeof ZChatTurnInput>;
export type ChatTurnAction = ChatTurnInput["action"];

export type ChatTurnCtx = { tenantId: string; userId: string; meta?: RequestMeta };

export type ChatTurnStartEvent = {
  type: "start";
  conversation: { id: string; title: string; personaKey: string };
  userMessage: ChatMessageDto;
  assistantMessageId: string;
  provider: string;
  model: string;
  offline: boolean;
  /** The passages the answer may cite as [n] (known before the first token, so markers render while streaming). */
  citations: Citation[];
};
export type ChatTurnEvent =
  | ChatTurnStartEvent
  | { type: "delta"; text: string }
  | { type: "done"; message: ChatMessageDto; conversation: { inputTokens: number; outputTokens: number } }
  | { type: "error"; reason: string; message: ChatMessageDto };

export type ChatTurnOutcome = { status: Exclude<MessageStatus, "streaming">; reason: string | null; message: ChatMessageDto };

export type ChatTurn = {
  /** The first event: everything is committed by the time it exists. */
  start: ChatTurnStartEvent;
  /** start, delta…, then done or error. Single consumer. */
  events: AsyncIterable<ChatTurnEvent>;
  /** Settles (never rejects) once the assistant message has its final status. */
  finished: Promise<ChatTurnOutcome>;
};

export type ChatTurnOptions = {
  /** Aborting stops the model call; the partial answer is saved as "stopped". */
  signal?: AbortSignal;
  /** The UI locale the answer should be written in; defaults to the user's saved locale. */
  locale?: string | null;
  /** Gateway tuning (tests use short delays). */
  gateway?: GatewayTuning;
  /** Retrieval tuning (tests point `db` at another database, or at none to make search fail). */
  retrieval?: RetrievalTuning;
  /** When the request arrived (performance.now()): ocsuite.chat.time_to_first_token counts from here; defaults to the call. */
  receivedAt?: number;
};

/** Refuses the turn (nothing written) and counts why. */
export const refuse = (code: "CONFLICT" | "NOT_FOUND", reason: string, message: string): never => {
  metrics.chatTurnsRefused.add(1, { "error.type": reason });
  throw new AppError(code, reason, message);
};
