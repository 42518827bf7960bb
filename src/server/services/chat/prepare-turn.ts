import "server-only";
import { db } from "~/server/db/client";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";
import type { ChatMessage } from "../llm/gateway";
import type { ResolvedPersona } from "../personas/resolve";
import { MESSAGE_SELECT, titleFromContent, toMessageDto, type ChatMessageDto } from "./dto";
import { MAX_HISTORY_CHARS, MAX_HISTORY_MESSAGES, refuse, STREAMING_STALE_MS, type ChatTurnCtx, type ParsedTurnInput } from "./turn-input";
import { openSealedColumns } from "~/server/db/keys/content-keys";

// Step 2 of a turn (see turns.ts): what is committed before the model is
// called, so nothing the user typed is ever lost, and the history it is sent.

/** Most recent user + complete assistant messages within the budget, starting with a user message. */
export const buildHistory = (rows: readonly { role: string; status: string; content: string }[]): ChatMessage[] => {
  const usable = rows.filter((m) => m.role === "user" || (m.role === "assistant" && m.status === "complete" && m.content.length > 0));
  const picked: ChatMessage[] = [];
  let chars = 0;
  for (let i = usable.length - 1; i >= 0; i--) {
    const m = usable[i]!;
    // The newest message (the one being answered) is always sent.
    if (picked.length > 0 && (picked.length >= MAX_HISTORY_MESSAGES || chars + m.content.length > MAX_HISTORY_CHARS)) break;
    picked.unshift({ role: m.role === "assistant" ? "assistant" : "user", content: m.content });
    chars += m.content.length;
  }
  while (picked.length > 1 && picked[0]!.role === "assistant") picked.shift();
  return picked;
};

export type Prepared = {
  conversation: { id: string; title: string; personaKey: string };
  userMessage: ChatMessageDto;
  assistantMessageId: string;
  history: ChatMessage[];
};

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Locks the conversation row (the caller's own) for the transaction, so two turns on it serialise. */
const lockConversation = async (tx: Tx, ctx: ChatTurnCtx, id: string) => {
  const rows = await tx.$queryRaw<{ id: string; title: string; personaKey: string }[]>`
    SELECT "id", "title", "personaKey" FROM "Conversation"
    WHERE "id" = ${id} AND "tenantId" = ${ctx.tenantId} AND "userId" = ${ctx.userId}
    FOR UPDATE`;
  // The title is sealed at rest (ADR 0015).
  await openSealedColumns(rows, { title: "Conversation.title" });
  return rows[0] ?? refuse("NOT_FOUND", "notFound", "Conversation not found");
};

/**
 * Refuses while another turn streams in the conversation. A "streaming" row
 * older than STREAMING_STALE_MS was left by a process that died mid-answer:
 * it is failed (streamInterrupted) instead of blocking the conversation forever.
 */
const ensureNoLiveTurn = async (tx: Tx, ctx: ChatTurnCtx, conversationId: string, now: Date) => {
  const streaming = await tx.message.findMany({
    where: { conversationId, tenantId: ctx.tenantId, role: "assistant", status: "streaming" },
    select: { id: true, updatedAt: true },
  });
  const staleBefore = now.getTime() - STREAMING_STALE_MS;
  if (streaming.some((m) => m.updatedAt.getTime() >= staleBefore)) {
    refuse("CONFLICT", "turnInProgress", "An answer is already being written in this conversation");
  }
  if (streaming.length > 0) {
    await tx.message.updateMany({
      where: { id: { in: streaming.map((m) => m.id) }, status: "streaming" },
      data: { status: "failed", errorReason: "streamInterrupted" },
    });
  }
};

export const placeholderData = (persona: ResolvedPersona) => ({
  role: "assistant",
  content: "",
  status: "streaming",
  provider: persona.summary.offline ? "offline" : persona.summary.provider,
  model: persona.summary.offline ? OFFLINE_MODEL_ID : persona.summary.model,
  offline: persona.summary.offline,
});

const later = (a: Date, b: Date) => (a.getTime() > b.getTime() ? a : b);
const plusMs = (d: Date, ms: number) => new Date(d.getTime() + ms);

/**
 * Regenerate / retry: the conversation's last question, with the answer (or
 * answers) to it deleted so the new one replaces them. Retry only targets the
 * last answer, and only when it failed or was stopped.
 */
const replaceLastAnswer = async (tx: Tx, ctx: ChatTurnCtx, input: Exclude<ParsedTurnInput, { action: "send" }>, conversationId: string) => {
  const lastUser = await tx.message.findFirst({
    where: { conversationId, tenantId: ctx.tenantId, role: "user" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: MESSAGE_SELECT,
  });
  if (!lastUser) return refuse("CONFLICT", "nothingToAnswer", "This conversation has no question to answer");
  const answers = await tx.message.findMany({
    where: { conversationId, tenantId: ctx.tenantId, role: "assistant", createdAt: { gte: lastUser.createdAt } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, status: true },
  });
  if (input.action === "retry") {
    const target = await tx.message.findFirst({
      where: { id: input.messageId, conversationId, tenantId: ctx.tenantId, role: "assistant" },
      select: { id: true, status: true },
    });
    if (!target) return refuse("NOT_FOUND", "notFound", "Message not found");
    if (answers[0]?.id !== target.id || (target.status !== "failed" && target.status !== "stopped")) {
      refuse("CONFLICT", "messageNotRetryable", "Only the last answer, when it failed or was stopped, can be retried");
    }
  }
  // The old answer (or answers) to the last question are replaced by the new one.
  if (answers.length > 0) await tx.message.deleteMany({ where: { id: { in: answers.map((a) => a.id) } } });
  return lastUser;
};

/**
 * A question in a conversation of the caller's: the row locked for the transaction (two turns on it
 * serialise) by the UPDATE that moves its lastMessageAt — one statement instead of a lock and an update.
 */
const lockForSend = async (tx: Tx, ctx: ChatTurnCtx, id: string, lastMessageAt: Date) => {
  const rows = await tx.$queryRaw<{ id: string; title: string; personaKey: string }[]>`
    UPDATE "Conversation" SET "lastMessageAt" = ${lastMessageAt}, "updatedAt" = now()
    WHERE "id" = ${id} AND "tenantId" = ${ctx.tenantId} AND "userId" = ${ctx.userId}
    RETURNING "id", "title", "personaKey"`;
  await openSealedColumns(rows, { title: "Conversation.title" });
  return rows[0] ?? refuse("NOT_FOUND", "notFound", "Conversation not found");
};

const historyOf = async (tx: Tx, ctx: ChatTurnCtx, conversationId: string, placeholderId: string) =>
  buildHistory(
    await tx.message.findMany({
      where: { conversationId, tenantId: ctx.tenantId, id: { not: placeholderId } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { role: true, status: true, content: true },
    }),
  );

/**
 * A new question: the conversation (created, or locked and moved to the top), then the question and
 * the placeholder in one INSERT. Explicit timestamps: the placeholder sorts after the question even
 * within one millisecond. A new conversation's history is the question alone (no query).
 */
const prepareSend = async (tx: Tx, ctx: ChatTurnCtx, input: Extract<ParsedTurnInput, { action: "send" }>, persona: ResolvedPersona): Promise<Prepared> => {
  const now = new Date();
  const placeholderAt = plusMs(now, 1);
  let conversation: { id: string; title: string; personaKey: string };
  if (input.conversationId) {
    conversation = await lockForSend(tx, ctx, input.conversationId, placeholderAt);
    await ensureNoLiveTurn(tx, ctx, conversation.id, now);
  } else {
    conversation = await tx.conversation.create({
      data: { tenantId: ctx.tenantId, userId: ctx.userId, personaKey: persona.key, title: titleFromContent(input.content), lastMessageAt: placeholderAt },
      select: { id: true, title: true, personaKey: true },
    });
  }
  const base = { conversationId: conversation.id, tenantId: ctx.tenantId };
  const rows = await tx.message.createManyAndReturn({
    data: [
      { ...base, role: "user", content: input.content, status: "complete", createdAt: now },
      { ...base, ...placeholderData(persona), createdAt: placeholderAt },
    ],
    select: MESSAGE_SELECT,
  });
  const question = rows.find((r) => r.role === "user")!;
  const placeholder = rows.find((r) => r.role === "assistant")!;
  const history = input.conversationId ? await historyOf(tx, ctx, conversation.id, placeholder.id) : buildHistory([question]);
  return { conversation, userMessage: toMessageDto(question), assistantMessageId: placeholder.id, history };
};

/** Regenerate / retry: the last question's answers replaced by a new placeholder. */
const prepareAgain = async (tx: Tx, ctx: ChatTurnCtx, input: Exclude<ParsedTurnInput, { action: "send" }>, persona: ResolvedPersona): Promise<Prepared> => {
  const now = new Date();
  const conversation = await lockConversation(tx, ctx, input.conversationId);
  await ensureNoLiveTurn(tx, ctx, conversation.id, now);
  const lastUser = await replaceLastAnswer(tx, ctx, input, conversation.id);
  const placeholderAt = later(now, plusMs(lastUser.createdAt, 1));
  const placeholder = await tx.message.create({
    data: { conversationId: conversation.id, tenantId: ctx.tenantId, ...placeholderData(persona), createdAt: placeholderAt },
    select: { id: true },
  });
  await tx.conversation.update({ where: { id: conversation.id }, data: { lastMessageAt: placeholderAt } });
  return { conversation, userMessage: toMessageDto(lastUser), assistantMessageId: placeholder.id, history: await historyOf(tx, ctx, conversation.id, placeholder.id) };
};

/** ONE transaction: the conversation (if new), the question, and the assistant's "streaming" placeholder, committed before the model is called. */
export const prepareTurn = async (ctx: ChatTurnCtx, input: ParsedTurnInput, persona: ResolvedPersona): Promise<Prepared> =>
  db.$transaction(async (tx) => (input.action === "send" ? prepareSend(tx, ctx, input, persona) : prepareAgain(tx, ctx, input, persona)));
