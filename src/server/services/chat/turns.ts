import "server-only";
import { z } from "zod";
import { asyncQueue } from "~/lib/async-queue";
import { AppError } from "~/server/errors";
import { metrics } from "~/server/infra/metrics";
import { tracer } from "~/server/infra/tracing";
import { retrieveWithTimeout } from "../assist/grounding";
import { resolvePersona } from "../assist/persona-call";
import { assertWithinBudget } from "../budgets/token-budget";
import type { ResolvedPersona } from "../personas/resolve";
import { findOwnConversation } from "./conversations";
import { MAX_CITATION_TEXT_CHARS, type Citation } from "./dto";
import { placeholderData, prepareTurn } from "./prepare-turn";
import { runTurn } from "./run-turn";
import { GROUNDING_PASSAGES, ZChatTurnInput, type ChatTurn, type ChatTurnCtx, type ChatTurnEvent, type ChatTurnInput, type ChatTurnOptions, type ChatTurnStartEvent } from "./turn-input";

/*
 * One chat turn: the user's message (or a regenerate/retry request) in, a
 * streamed persona answer out. Transport-free: the HTTP route serialises the
 * events as NDJSON.
 *
 * The order is what makes "nothing the user typed is ever lost" hold:
 *   1. validate, resolve the persona and its model, check the workspace's
 *      monthly token budget (may refuse: 404/409/412 — a refusal writes
 *      nothing: the question stays in the composer and a regenerate does
 *      not delete the answer it would have replaced);
 *   2. ONE transaction: conversation (if new) + user message + an assistant
 *      placeholder with status "streaming" — committed BEFORE the model is
 *      called (prepare-turn.ts);
 *   3. retrieve the workspace's passages for the question (grounding; a failed
 *      or slow search answers without them, it never fails the turn) — for a
 *      new question concurrently with step 2, as it only reads;
 *   4. stream the answer; on the end, success or failure, the placeholder is
 *      updated to complete | failed | stopped (run-turn.ts: a `finally`
 *      guarantees it never stays "streaming" while this process lives; a
 *      crashed process leaves a row that becomes stale after
 *      STREAMING_STALE_MS and is then failed).
 * The model call runs in the background whether or not anyone reads the events,
 * so a client that disconnects mid-answer still leaves a finished row.
 */

export { ZChatTurnInput, type ChatTurn, type ChatTurnCtx, type ChatTurnEvent, type ChatTurnInput, type ChatTurnOptions } from "./turn-input";

/** The question's passages as the answer's citations; a failed or slow search is answered without (and counted by retrieveWithTimeout). */
const groundingFor = async (ctx: ChatTurnCtx, question: string, opts: ChatTurnOptions["retrieval"]): Promise<Citation[]> => {
  const grounding = await retrieveWithTimeout({ tenantId: ctx.tenantId, query: question, limit: GROUNDING_PASSAGES, purpose: "chat", maxChars: MAX_CITATION_TEXT_CHARS, retrieval: opts });
  return grounding.passages;
};

/** Step 1: the persona of the conversation (an existing one keeps its persona, whatever the request names), counted when refused. */
const personaFor = async (ctx: ChatTurnCtx, input: z.output<typeof ZChatTurnInput>, locale: string | null | undefined): Promise<ResolvedPersona> => {
  const personaKey = input.action === "send" && !input.conversationId ? input.personaKey : (await findOwnConversation(ctx, input.conversationId!)).personaKey;
  try {
    return await resolvePersona({ tenantId: ctx.tenantId, userId: ctx.userId, meta: ctx.meta, personaKey, locale });
  } catch (err) {
    if (err instanceof AppError) metrics.chatTurnsRefused.add(1, { "error.type": err.reason });
    throw err;
  }
};

/** Step 1, last: no model call starts once the month's token budget is spent (services/budgets). */
const withinBudget = async (ctx: ChatTurnCtx) => {
  try {
    await assertWithinBudget(ctx.tenantId);
  } catch (err) {
    if (err instanceof AppError) metrics.chatTurnsRefused.add(1, { "error.type": err.reason });
    throw err;
  }
};

/**
 * Starts a turn. Throws AppError (nothing written) when the request is refused:
 * NOT_FOUND (conversation, message, persona), CONFLICT turnInProgress |
 * messageNotRetryable | nothingToAnswer, PRECONDITION_FAILED personaDisabled |
 * personaModelMissing | credentialUnusable | tokenBudgetExhausted (with
 * retryAfterSeconds = time to the monthly reset), BAD_REQUEST invalidInput.
 */
export const startChatTurn = async (ctx: ChatTurnCtx, raw: ChatTurnInput, opts: ChatTurnOptions = {}): Promise<ChatTurn> => {
  const receivedAt = opts.receivedAt ?? performance.now();
  const parsed = ZChatTurnInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", z.prettifyError(parsed.error));
  const input = parsed.data;
  const persona = await personaFor(ctx, input, input.locale ?? opts.locale);
  await withinBudget(ctx);

  // A new question's search runs while the question commits (it only reads, and never
  // fails: retrieveWithTimeout answers without passages instead); the model is still
  // called only after the commit. A regenerate asks the stored question, known after it.
  const early = input.action === "send" ? groundingFor(ctx, input.content, opts.retrieval) : null;
  const prepared = await prepareTurn(ctx, input, persona);
  const citations = await (early ?? groundingFor(ctx, prepared.userMessage.content, opts.retrieval));
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
      "ocsuite.tenant.id": ctx.tenantId,
      "enduser.id": ctx.userId,
      "ocsuite.persona": persona.key,
      "ocsuite.chat.action": input.action,
      "gen_ai.conversation.id": prepared.conversation.id,
      "ocsuite.chat.message_id": prepared.assistantMessageId,
      "ocsuite.chat.history_messages": prepared.history.length,
      "ocsuite.chat.citations": citations.length,
    },
  });

  const finished = runTurn({ ctx, action: input.action, persona, prepared, citations, span, signal: opts.signal, gateway: opts.gateway, receivedAt, emit: queue.push }).finally(() => queue.end());
  return { start, events: queue.iterable, finished };
};
