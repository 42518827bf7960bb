import "server-only";
import { context as otelContext, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { z } from "zod";
import { asyncQueue } from "~/lib/async-queue";
import { LOCALES } from "~/lib/locales";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { tracer } from "~/server/infra/tracing";
import type { RequestMeta } from "../context";
import { retrievePassages, type RetrievedPassage, type RetrieveOptions } from "../knowledge/retrieval";
import { isLlmError, streamChat, type ChatMessage, type StreamChatInput } from "../llm/gateway";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";
import { resolvePersonaForChat, type ResolvedPersona } from "../personas/resolve";
import { recordFailedCredentialUse } from "../providers/credentials";
import { findOwnConversation } from "./conversations";
import {
  MAX_CITATION_TEXT_CHARS,
  MESSAGE_SELECT,
  titleFromContent,
  toMessageDto,
  type ChatMessageDto,
  type Citation,
  type MessageStatus,
} from "./dto";

/*
 * One chat turn: the user's message (or a regenerate/retry request) in, a
 * streamed persona answer out. Transport-free: the HTTP route serialises the
 * events as NDJSON.
 *
 * The order is what makes "nothing the user typed is ever lost" hold:
 *   1. validate, resolve the persona and its model (may refuse: 404/409/412);
 *   2. ONE transaction: conversation (if new) + user message + an assistant
 *      placeholder with status "streaming" — committed BEFORE the model is called;
 *   3. retrieve the workspace's passages for the question (grounding; a failed
 *      or slow search answers without them, it never fails the turn);
 *   4. stream the answer; on the end, success or failure, the placeholder is
 *      updated to complete | failed | stopped (a `finally` guarantees it never
 *      stays "streaming" while this process lives; a crashed process leaves a
 *      row that becomes stale after STREAMING_STALE_MS and is then failed).
 * The model call runs in the background whether or not anyone reads the events,
 * so a client that disconnects mid-answer still leaves a finished row.
 */

export const MAX_CONTENT_CHARS = 20_000;
/** A "streaming" row not touched for this long belongs to a dead process, not a live turn. */
export const STREAMING_STALE_MS = 2 * 60_000;
/** How often a live turn saves its partial text (and so proves it is alive). */
const HEARTBEAT_MS = 10_000;
/** History budget sent to the model: the most recent messages within both limits. */
export const MAX_HISTORY_MESSAGES = 40;
export const MAX_HISTORY_CHARS = 60_000;
/** Passages retrieved per question and handed to the model as numbered context. */
export const GROUNDING_PASSAGES = 6;
/** Retrieval slower than this is abandoned: the answer starts without context rather than late. */
export const RETRIEVAL_TIMEOUT_MS = 5_000;

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
  gateway?: Pick<StreamChatInput, "offlineChunkDelayMs" | "retryBaseDelayMs" | "timeoutMs">;
  /** Retrieval tuning (tests point `db` at another database, or at none to make search fail). */
  retrieval?: Pick<RetrieveOptions, "db" | "embedder" | "mode">;
};

const refuse = (code: "CONFLICT" | "NOT_FOUND", reason: string, message: string): never => {
  metrics.chatTurnsRefused.inc({ reason });
  throw new AppError(code, reason, message);
};

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

type Prepared = {
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

const placeholderData = (persona: ResolvedPersona) => ({
  role: "assistant",
  content: "",
  status: "streaming",
  provider: persona.summary.offline ? "offline" : persona.summary.provider,
  model: persona.summary.offline ? OFFLINE_MODEL_ID : persona.summary.model,
  offline: persona.summary.offline,
});

const later = (a: Date, b: Date) => (a.getTime() > b.getTime() ? a : b);
const plusMs = (d: Date, ms: number) => new Date(d.getTime() + ms);

const prepare = async (ctx: ChatTurnCtx, input: z.output<typeof ZChatTurnInput>, persona: ResolvedPersona): Promise<Prepared> =>
  db.$transaction(async (tx) => {
    const now = new Date();
    let conversation: { id: string; title: string; personaKey: string };
    let userMessage: ChatMessageDto;
    let placeholderAt: Date;

    if (input.action === "send") {
      if (input.conversationId) {
        conversation = await lockConversation(tx, ctx, input.conversationId);
        await ensureNoLiveTurn(tx, ctx, conversation.id, now);
      } else {
        conversation = await tx.conversation.create({
          data: { tenantId: ctx.tenantId, userId: ctx.userId, personaKey: persona.key, title: titleFromContent(input.content), lastMessageAt: now },
          select: { id: true, title: true, personaKey: true },
        });
      }
      // Explicit timestamps: the placeholder sorts after the question even within one millisecond.
      const row = await tx.message.create({
        data: { conversationId: conversation.id, tenantId: ctx.tenantId, role: "user", content: input.content, status: "complete", createdAt: now },
        select: MESSAGE_SELECT,
      });
      userMessage = toMessageDto(row);
      placeholderAt = plusMs(now, 1);
    } else {
      conversation = await lockConversation(tx, ctx, input.conversationId);
      await ensureNoLiveTurn(tx, ctx, conversation.id, now);
      const lastUser = await tx.message.findFirst({
        where: { conversationId: conversation.id, tenantId: ctx.tenantId, role: "user" },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: MESSAGE_SELECT,
      });
      if (!lastUser) refuse("CONFLICT", "nothingToAnswer", "This conversation has no question to answer");
      userMessage = toMessageDto(lastUser!);
      const answers = await tx.message.findMany({
        where: { conversationId: conversation.id, tenantId: ctx.tenantId, role: "assistant", createdAt: { gte: lastUser!.createdAt } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, status: true },
      });
      if (input.action === "retry") {
        const target = await tx.message.findFirst({
          where: { id: input.messageId, conversationId: conversation.id, tenantId: ctx.tenantId, role: "assistant" },
          select: { id: true, status: true },
        });
        if (!target) refuse("NOT_FOUND", "notFound", "Message not found");
        if (answers[0]?.id !== target!.id || (target!.status !== "failed" && target!.status !== "stopped")) {
          refuse("CONFLICT", "messageNotRetryable", "Only the last answer, when it failed or was stopped, can be retried");
        }
      }
      // The old answer (or answers) to the last question are replaced by the new one.
      if (answers.length > 0) await tx.message.deleteMany({ where: { id: { in: answers.map((a) => a.id) } } });
      placeholderAt = later(now, plusMs(lastUser!.createdAt, 1));
    }

    const placeholder = await tx.message.create({
      data: { conversationId: conversation.id, tenantId: ctx.tenantId, ...placeholderData(persona), createdAt: placeholderAt },
      select: { id: true },
    });
    await tx.conversation.update({ where: { id: conversation.id }, data: { lastMessageAt: placeholderAt } });

    const rows = await tx.message.findMany({
      where: { conversationId: conversation.id, tenantId: ctx.tenantId, id: { not: placeholder.id } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { role: true, status: true, content: true },
    });
    return { conversation, userMessage, assistantMessageId: placeholder.id, history: buildHistory(rows) };
  });

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/** "Finance policy, p. 3": the source line the model (and the offline model) cites a passage by. */
export const passageSource = (p: { title: string; page: number | null }) => (p.page !== null ? `${p.title}, p. ${p.page}` : p.title);

/** The retrieved passages as the citations saved on the answer, numbered as the model sees them. */
export const citationsOf = (passages: readonly RetrievedPassage[]): Citation[] =>
  passages.map((p, i) => ({
    n: i + 1,
    chunkId: p.chunkId,
    documentId: p.documentId,
    title: p.documentTitle,
    page: p.page,
    heading: p.heading,
    text: clip(p.text.trim(), MAX_CITATION_TEXT_CHARS),
  }));

/**
 * The workspace's passages for the question. Grounding is an improvement, not
 * a precondition: when search fails or is slow the answer is written without
 * context (logged and counted), never refused.
 */
const groundingFor = async (ctx: ChatTurnCtx, question: string, opts: ChatTurnOptions["retrieval"]): Promise<Citation[]> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), RETRIEVAL_TIMEOUT_MS);
    timer.unref?.();
  });
  try {
    const result = await Promise.race([retrievePassages({ tenantId: ctx.tenantId }, question, { ...opts, limit: GROUNDING_PASSAGES }), timeout]);
    if (result === "timeout") {
      metrics.chatRetrievalFailures.inc({ reason: "timeout" });
      logger.warn({ tenantId: ctx.tenantId, timeoutMs: RETRIEVAL_TIMEOUT_MS }, "chat retrieval timed out; answering without documents");
      return [];
    }
    return citationsOf(result);
  } catch (err) {
    metrics.chatRetrievalFailures.inc({ reason: "error" });
    logger.warn({ err, tenantId: ctx.tenantId }, "chat retrieval failed; answering without documents");
    return [];
  } finally {
    clearTimeout(timer);
  }
};

const localeOf = async (ctx: ChatTurnCtx, requested: string | null | undefined): Promise<string | null> => {
  if (requested) return requested;
  const user = await db.user.findUnique({ where: { id: ctx.userId }, select: { locale: true } });
  return user?.locale ?? null;
};

/**
 * Starts a turn. Throws AppError (nothing written) when the request is refused:
 * NOT_FOUND (conversation, message, persona), CONFLICT turnInProgress |
 * messageNotRetryable | nothingToAnswer, PRECONDITION_FAILED personaDisabled |
 * personaModelMissing | credentialUnusable, BAD_REQUEST invalidInput.
 */
export const startChatTurn = async (ctx: ChatTurnCtx, raw: ChatTurnInput, opts: ChatTurnOptions = {}): Promise<ChatTurn> => {
  const parsed = ZChatTurnInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", z.prettifyError(parsed.error));
  const input = parsed.data;

  let personaKey: string;
  if (input.action === "send" && !input.conversationId) personaKey = input.personaKey;
  else {
    // An existing conversation keeps its persona, whatever the request names.
    const existing = await findOwnConversation(ctx, input.conversationId!);
    personaKey = existing.personaKey;
  }
  const locale = await localeOf(ctx, input.locale ?? opts.locale);
  let persona: ResolvedPersona;
  try {
    persona = await resolvePersonaForChat(ctx, personaKey, { locale });
  } catch (err) {
    if (err instanceof AppError) metrics.chatTurnsRefused.inc({ reason: err.reason });
    throw err;
  }

  const prepared = await prepare(ctx, input, persona);
  // After the commit: the question is saved whatever search does.
  const citations = await groundingFor(ctx, prepared.userMessage.content, opts.retrieval);
  const placeholder = placeholderData(persona);
  const start: ChatTurnStartEvent = {
    type: "start",
    conversation: prepared.conversation,
    userMessage: prepared.userMessage,
    assistantMessageId: prepared.assistantMessageId,
    provider: placeholder.provider,
    // resolvePersonaForChat refuses a provider without a model, so this is set.
    model: placeholder.model ?? "",
    offline: placeholder.offline,
    citations,
  };
  // The turn runs whether or not anyone reads its events.
  const queue = asyncQueue<ChatTurnEvent>();
  queue.push(start);

  const span = tracer.startSpan("chat.turn", {
    attributes: {
      "ocsuite.tenant_id": ctx.tenantId,
      "enduser.id": ctx.userId,
      "ocsuite.persona": persona.key,
      "ocsuite.chat.action": input.action,
      "gen_ai.conversation.id": prepared.conversation.id,
      "ocsuite.chat.message_id": prepared.assistantMessageId,
      "ocsuite.chat.history_messages": prepared.history.length,
      "ocsuite.chat.citations": citations.length,
    },
  });

  const finished = runTurn({ ctx, input, persona, prepared, citations, span, signal: opts.signal, gateway: opts.gateway, emit: queue.push }).finally(() => queue.end());
  return { start, events: queue.iterable, finished };
};

type RunArgs = {
  ctx: ChatTurnCtx;
  input: z.output<typeof ZChatTurnInput>;
  persona: ResolvedPersona;
  prepared: Prepared;
  citations: Citation[];
  span: Span;
  signal?: AbortSignal;
  gateway?: ChatTurnOptions["gateway"];
  emit: (e: ChatTurnEvent) => void;
};

const runTurn = async ({ ctx, input, persona, prepared, citations, span, signal, gateway, emit }: RunArgs): Promise<ChatTurnOutcome> => {
  const messageId = prepared.assistantMessageId;
  const conversationId = prepared.conversation.id;
  const started = performance.now();
  let text = "";
  let firstTokenMs: number | null = null;
  let finalised = false;

  // Saves the partial answer now and then: it survives a crash, and the fresh
  // updatedAt tells a concurrent request that this turn is alive.
  let heartbeat: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    heartbeat = db.message
      .updateMany({ where: { id: messageId, status: "streaming" }, data: { content: text, updatedAt: new Date() } })
      .catch((err: unknown) => logger.warn({ err, messageId }, "chat heartbeat failed"));
  }, HEARTBEAT_MS);
  timer.unref?.();

  const finalise = async (data: {
    status: Exclude<MessageStatus, "streaming">;
    errorReason: string | null;
    provider?: string;
    model?: string;
    offline?: boolean;
    inputTokens?: number | null;
    outputTokens?: number | null;
    timeToFirstTokenMs: number | null;
    llmCallId?: string | null;
  }) => {
    clearInterval(timer);
    await heartbeat;
    const inputTokens = data.inputTokens ?? null;
    const outputTokens = data.outputTokens ?? null;
    const now = new Date();
    const [totals] = await db.$transaction(async (tx) => {
      const updated = await tx.message.updateMany({
        where: { id: messageId, status: "streaming" },
        data: {
          content: text,
          status: data.status,
          errorReason: data.errorReason,
          ...(data.provider !== undefined ? { provider: data.provider } : {}),
          ...(data.model !== undefined ? { model: data.model } : {}),
          ...(data.offline !== undefined ? { offline: data.offline } : {}),
          inputTokens,
          outputTokens,
          timeToFirstTokenMs: data.timeToFirstTokenMs,
          llmCallId: data.llmCallId ?? null,
          // Saved with the answer, whatever its outcome: a partial answer may already cite.
          ...(citations.length > 0 ? { citations } : {}),
        },
      });
      // Tokens are counted even for a failed or stopped answer: they were spent.
      const conv = await tx.conversation.updateMany({
        where: { id: conversationId, tenantId: ctx.tenantId },
        data: { inputTokens: { increment: inputTokens ?? 0 }, outputTokens: { increment: outputTokens ?? 0 }, ...(updated.count > 0 ? { lastMessageAt: now } : {}) },
      });
      const c = conv.count > 0 ? await tx.conversation.findUnique({ where: { id: conversationId }, select: { inputTokens: true, outputTokens: true } }) : null;
      return [c ?? { inputTokens: 0, outputTokens: 0 }] as const;
    });
    finalised = true;
    const row = await db.message.findUnique({ where: { id: messageId }, select: MESSAGE_SELECT });
    // The conversation may have been deleted meanwhile: report what was produced.
    const message: ChatMessageDto = row
      ? toMessageDto(row)
      : {
          id: messageId,
          role: "assistant",
          content: text,
          status: data.status,
          errorReason: data.errorReason,
          provider: data.provider ?? null,
          model: data.model ?? null,
          offline: data.offline ?? false,
          inputTokens,
          outputTokens,
          timeToFirstTokenMs: data.timeToFirstTokenMs,
          createdAt: now,
          citations,
        };
    return { message, totals };
  };

  let outcome: ChatTurnOutcome;
  try {
    const stream = otelContext.with(trace.setSpan(otelContext.active(), span), () =>
      streamChat({
        tenantId: ctx.tenantId,
        userId: ctx.userId,
        personaKey: persona.key,
        conversationId,
        messages: prepared.history,
        model: persona.model,
        persona: persona.template,
        tenantProfile: persona.tenantProfile,
        temperature: persona.temperature,
        context: citations.map((c) => ({ title: passageSource(c), text: c.text })),
        signal,
        ...gateway,
      }),
    );
    try {
      for await (const delta of stream.textStream) {
        if (firstTokenMs === null) firstTokenMs = Math.round(performance.now() - started);
        text += delta;
        emit({ type: "delta", text: delta });
      }
      const result = await stream.result;
      text = result.text;
      const { message, totals } = await finalise({
        status: "complete",
        errorReason: null,
        provider: result.provider,
        model: result.model,
        offline: result.offline,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        timeToFirstTokenMs: result.timeToFirstTokenMs,
        llmCallId: result.llmCallId,
      });
      emit({ type: "done", message, conversation: totals });
      outcome = { status: "complete", reason: null, message };
    } catch (err) {
      if (!isLlmError(err)) throw err;
      if (err.partialText.length > text.length) text = err.partialText;
      // "cancelled" only happens when our signal fired: the user pressed stop or went away.
      const stopped = err.reason === "cancelled";
      if (err.reason === "providerAuthFailed" && persona.summary.credentialId) {
        await recordFailedCredentialUse(ctx, persona.summary.credentialId, err.reason).catch((e: unknown) => logger.warn({ err: e }, "could not audit failed credential use"));
      }
      const { message } = await finalise({ status: stopped ? "stopped" : "failed", errorReason: stopped ? null : err.reason, timeToFirstTokenMs: firstTokenMs });
      emit({ type: "error", reason: err.reason, message });
      outcome = { status: message.status === "stopped" ? "stopped" : "failed", reason: err.reason, message };
    }
  } catch (err) {
    // Anything unexpected (a database error, a bug): the answer fails, the question stays.
    logger.error({ err, tenantId: ctx.tenantId, conversationId, messageId }, "chat turn failed unexpectedly");
    span.recordException(err as Error);
    let message: ChatMessageDto | null = null;
    if (!finalised) {
      message = await finalise({ status: "failed", errorReason: "internalError", timeToFirstTokenMs: firstTokenMs })
        .then((r) => r.message)
        .catch(() => null);
    }
    message ??= {
      id: messageId,
      role: "assistant",
      content: text,
      status: "failed",
      errorReason: "internalError",
      provider: null,
      model: null,
      offline: false,
      inputTokens: null,
      outputTokens: null,
      timeToFirstTokenMs: firstTokenMs,
      createdAt: new Date(),
      citations,
    };
    emit({ type: "error", reason: "internalError", message });
    outcome = { status: "failed", reason: "internalError", message };
  } finally {
    clearInterval(timer);
    if (!finalised) {
      // Last resort (the database refused the final write above): never leave it "streaming".
      await db.message
        .updateMany({ where: { id: messageId, status: "streaming" }, data: { status: "failed", errorReason: "internalError", content: text } })
        .catch((err: unknown) => logger.error({ err, messageId }, "chat message left streaming; it will be failed when stale"));
    }
  }

  const { status, reason } = outcome;
  metrics.chatTurns.inc({ action: input.action, outcome: status, reason: reason ?? "" });
  span.setAttribute("ocsuite.chat.outcome", status);
  if (reason) span.setAttribute("error.type", reason);
  if (status === "failed") span.setStatus({ code: SpanStatusCode.ERROR, message: reason ?? "failed" });
  span.end();
  logger.info(
    {
      tenantId: ctx.tenantId,
      conversationId,
      messageId,
      personaKey: persona.key,
      action: input.action,
      outcome: status,
      reason,
      inputTokens: outcome.message.inputTokens,
      outputTokens: outcome.message.outputTokens,
      durationMs: Math.round(performance.now() - started),
    },
    "chat turn finished",
  );
  return outcome;
};
