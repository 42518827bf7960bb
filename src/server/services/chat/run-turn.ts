import "server-only";
import { context as otelContext, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { contextOf } from "../assist/grounding";
import { addTokens, streamPersona, type GatewayTuning } from "../assist/persona-call";
import { isLlmError } from "../llm/gateway";
import type { ResolvedPersona } from "../personas/resolve";
import { recordFailedCredentialUse } from "../providers/credentials";
import { MESSAGE_SELECT, toMessageDto, type ChatMessageDto, type Citation, type MessageStatus } from "./dto";
import type { Prepared } from "./prepare-turn";
import type { ChatTurnAction, ChatTurnCtx, ChatTurnEvent, ChatTurnOutcome } from "./turn-input";

// Step 4 of a turn (see turns.ts): stream the answer into the placeholder and
// give it its final status, whatever happens — complete, failed or stopped.

/** How often a live turn saves its partial text (and so proves it is alive). */
const HEARTBEAT_MS = 10_000;

export type RunArgs = {
  ctx: ChatTurnCtx;
  action: ChatTurnAction;
  persona: ResolvedPersona;
  prepared: Prepared;
  citations: Citation[];
  span: Span;
  signal?: AbortSignal;
  gateway?: GatewayTuning;
  /** When the request arrived (performance.now()), for the time-to-first-token metric. */
  receivedAt: number;
  emit: (e: ChatTurnEvent) => void;
};

/** What the turn has produced so far. */
type TurnState = { started: number; text: string; firstTokenMs: number | null; finalised: boolean };

type FinalData = {
  status: Exclude<MessageStatus, "streaming">;
  errorReason: string | null;
  provider?: string;
  model?: string;
  offline?: boolean;
  inputTokens?: number | null;
  outputTokens?: number | null;
  timeToFirstTokenMs: number | null;
  llmCallId?: string | null;
};

type Finalise = (data: FinalData) => Promise<{ message: ChatMessageDto; totals: { inputTokens: number; outputTokens: number } }>;

/**
 * Saves the partial answer now and then: it survives a crash, and the fresh
 * updatedAt tells a concurrent request that this turn is alive.
 */
const startHeartbeat = (tenantId: string, messageId: string, textOf: () => string) => {
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = db.message
      .updateMany({ where: { id: messageId, tenantId, status: "streaming" }, data: { content: textOf(), updatedAt: new Date() } })
      .catch((err: unknown) => logger.warn({ err, messageId }, "chat heartbeat failed"));
  }, HEARTBEAT_MS);
  timer.unref?.();
  return {
    clear: () => clearInterval(timer),
    /** Stops and waits for a save in flight, so it cannot overwrite the final write. */
    stop: async () => {
      clearInterval(timer);
      await last;
    },
  };
};

/** The message as reported when its row cannot be read back (the conversation was deleted meanwhile, or the database failed). */
const unsavedMessage = (args: RunArgs, state: TurnState, data: FinalData, createdAt: Date): ChatMessageDto => ({
  id: args.prepared.assistantMessageId,
  role: "assistant",
  content: state.text,
  status: data.status,
  errorReason: data.errorReason,
  provider: data.provider ?? null,
  model: data.model ?? null,
  offline: data.offline ?? false,
  inputTokens: data.inputTokens ?? null,
  outputTokens: data.outputTokens ?? null,
  timeToFirstTokenMs: data.timeToFirstTokenMs,
  createdAt,
  citations: args.citations,
});

/** The placeholder's final write and the conversation's token totals, in one transaction; then the saved message. */
const finaliseAnswer = async (args: RunArgs, state: TurnState, data: FinalData) => {
  const { ctx, citations } = args;
  const messageId = args.prepared.assistantMessageId;
  const conversationId = args.prepared.conversation.id;
  const inputTokens = data.inputTokens ?? null;
  const outputTokens = data.outputTokens ?? null;
  const now = new Date();
  const totals = await db.$transaction(async (tx) => {
    const updated = await tx.message.updateMany({
      where: { id: messageId, tenantId: ctx.tenantId, status: "streaming" },
      data: {
        content: state.text,
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
      data: { ...addTokens({ inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 }), ...(updated.count > 0 ? { lastMessageAt: now } : {}) },
    });
    const c = conv.count > 0 ? await tx.conversation.findUnique({ where: { id: conversationId }, select: { inputTokens: true, outputTokens: true } }) : null;
    return c ?? { inputTokens: 0, outputTokens: 0 };
  });
  state.finalised = true;
  const row = await db.message.findUnique({ where: { id: messageId }, select: MESSAGE_SELECT });
  // The conversation may have been deleted meanwhile: report what was produced.
  const message: ChatMessageDto = row ? toMessageDto(row) : unsavedMessage(args, state, { ...data, inputTokens, outputTokens }, now);
  return { message, totals };
};

/** Streams the model's answer; a model failure (LlmError) ends it failed or stopped. Anything else is thrown. */
const streamAnswer = async (args: RunArgs, state: TurnState, finalise: Finalise): Promise<ChatTurnOutcome> => {
  const { ctx, persona, prepared, citations, emit } = args;
  const stream = otelContext.with(trace.setSpan(otelContext.active(), args.span), () =>
    streamPersona({
      tenantId: ctx.tenantId,
      userId: ctx.userId,
      persona,
      conversationId: prepared.conversation.id,
      messages: prepared.history,
      context: contextOf(citations),
      signal: args.signal,
      gateway: args.gateway,
    }),
  );
  try {
    for await (const delta of stream.textStream) {
      if (state.firstTokenMs === null) {
        state.firstTokenMs = Math.round(performance.now() - state.started);
        // What the user waits (the chat latency SLO): request received to the first text.
        metrics.chatTimeToFirstToken.record((performance.now() - args.receivedAt) / 1000, { "ocsuite.chat.action": args.action });
      }
      state.text += delta;
      emit({ type: "delta", text: delta });
    }
    const result = await stream.result;
    state.text = result.text;
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
    return { status: "complete", reason: null, message };
  } catch (err) {
    if (!isLlmError(err)) throw err;
    if (err.partialText.length > state.text.length) state.text = err.partialText;
    // "cancelled" only happens when our signal fired: the user pressed stop or went away.
    const stopped = err.reason === "cancelled";
    if (err.reason === "providerAuthFailed" && persona.summary.credentialId) {
      await recordFailedCredentialUse(ctx, persona.summary.credentialId, err.reason).catch((e: unknown) => logger.warn({ err: e }, "could not audit failed credential use"));
    }
    const { message } = await finalise({ status: stopped ? "stopped" : "failed", errorReason: stopped ? null : err.reason, timeToFirstTokenMs: state.firstTokenMs });
    emit({ type: "error", reason: err.reason, message });
    return { status: message.status === "stopped" ? "stopped" : "failed", reason: err.reason, message };
  }
};

/** Anything unexpected (a database error, a bug): the answer fails, the question stays. */
const failUnexpectedly = async (args: RunArgs, state: TurnState, finalise: Finalise, err: unknown): Promise<ChatTurnOutcome> => {
  const { ctx, prepared } = args;
  logger.error({ err, tenantId: ctx.tenantId, conversationId: prepared.conversation.id, messageId: prepared.assistantMessageId }, "chat turn failed unexpectedly");
  args.span.recordException(err as Error);
  const failed: FinalData = { status: "failed", errorReason: "internalError", timeToFirstTokenMs: state.firstTokenMs };
  let message: ChatMessageDto | null = null;
  if (!state.finalised) {
    message = await finalise(failed)
      .then((r) => r.message)
      .catch(() => null);
  }
  message ??= unsavedMessage(args, state, failed, new Date());
  args.emit({ type: "error", reason: "internalError", message });
  return { status: "failed", reason: "internalError", message };
};

/** The turn's metric, span outcome and log line. */
const reportTurn = (args: RunArgs, outcome: ChatTurnOutcome, started: number) => {
  const { status, reason } = outcome;
  const { span } = args;
  metrics.chatTurns.add(1, { "ocsuite.chat.action": args.action, "ocsuite.outcome": status, ...(reason ? { "error.type": reason } : {}) });
  span.setAttribute("ocsuite.chat.outcome", status);
  if (reason) span.setAttribute("error.type", reason);
  if (status === "failed") span.setStatus({ code: SpanStatusCode.ERROR, message: reason ?? "failed" });
  span.end();
  logger.info(
    {
      tenantId: args.ctx.tenantId,
      conversationId: args.prepared.conversation.id,
      messageId: args.prepared.assistantMessageId,
      personaKey: args.persona.key,
      action: args.action,
      outcome: status,
      reason,
      inputTokens: outcome.message.inputTokens,
      outputTokens: outcome.message.outputTokens,
      durationMs: Math.round(performance.now() - started),
    },
    "chat turn finished",
  );
};

/** Runs the turn to its end; never rejects (see turns.ts for the guarantees). */
export const runTurn = async (args: RunArgs): Promise<ChatTurnOutcome> => {
  const messageId = args.prepared.assistantMessageId;
  const state: TurnState = { started: performance.now(), text: "", firstTokenMs: null, finalised: false };
  const heartbeat = startHeartbeat(args.ctx.tenantId, messageId, () => state.text);
  const finalise: Finalise = async (data) => {
    await heartbeat.stop();
    return finaliseAnswer(args, state, data);
  };

  let outcome: ChatTurnOutcome;
  try {
    outcome = await streamAnswer(args, state, finalise);
  } catch (err) {
    outcome = await failUnexpectedly(args, state, finalise, err);
  } finally {
    heartbeat.clear();
    if (!state.finalised) {
      // Last resort (the database refused the final write above): never leave it "streaming".
      await db.message
        .updateMany({ where: { id: messageId, status: "streaming" }, data: { status: "failed", errorReason: "internalError", content: state.text } })
        .catch((err: unknown) => logger.error({ err, messageId }, "chat message left streaming; it will be failed when stale"));
    }
  }
  reportTurn(args, outcome, state.started);
  return outcome;
};
