import "server-only";
import { db } from "~/server/db/client";
import { assertWithinBudget } from "../budgets/token-budget";
import type { RequestMeta } from "../context";
import { streamChat, type ChatMessage, type ChatResult, type ChatStream, type ChatUsage, type StreamChatInput } from "../llm/gateway";
import { resolvePersonaForChat, type ResolvedPersona } from "../personas/resolve";
import type { ContextPassage } from "../personas/templates";

/*
 * A persona does one piece of work: the language it writes in, the persona as
 * this tenant configured it (template, model, temperature), the model call
 * (recorded as an LlmCall row by the gateway) and the tokens it spent. Chat,
 * meetings and tasks all call the model through here; what they do with the
 * text (stream it, store a turn, a step) is theirs.
 *
 * The tenant's monthly token budget is checked before a call starts:
 * askPersona checks it itself (meeting turns, task steps: the job stops with
 * the permanent reason tokenBudgetExhausted); chat checks it at the start of
 * the turn (services/chat/turns.ts), before anything is written, so a refused
 * turn neither saves a question nor replaces an answer.
 */

/** Gateway tuning a caller may pass through (tests use short delays). */
export type GatewayTuning = Pick<StreamChatInput, "offlineChunkDelayMs" | "retryBaseDelayMs" | "timeoutMs">;

export type Tokens = { inputTokens: number; outputTokens: number };

/** The explicit locale, else the user's saved one, else none (the persona's default). */
export const localeFor = async (opts: { userId: string | null; requested?: string | null }): Promise<string | null> => {
  if (opts.requested) return opts.requested;
  if (!opts.userId) return null;
  const user = await db.user.findUnique({ where: { id: opts.userId }, select: { locale: true } });
  return user?.locale ?? null;
};

/** The persona as the tenant configured it, speaking the user's language. Throws the resolver's AppErrors (notFound, personaDisabled, …). */
export const resolvePersona = async (opts: { tenantId: string; userId: string | null; personaKey: string; locale?: string | null; meta?: RequestMeta }): Promise<ResolvedPersona> =>
  resolvePersonaForChat({ tenantId: opts.tenantId, userId: opts.userId, meta: opts.meta }, opts.personaKey, {
    locale: await localeFor({ userId: opts.userId, requested: opts.locale }),
  });

export type PersonaCallOptions = {
  tenantId: string;
  userId: string | null;
  persona: ResolvedPersona;
  messages: ChatMessage[];
  context?: ContextPassage[];
  conversationId?: string;
  signal?: AbortSignal;
  gateway?: GatewayTuning;
};

/** Starts the persona's model call; the caller streams `textStream` or awaits `result`. */
export const streamPersona = (opts: PersonaCallOptions): ChatStream =>
  streamChat({
    tenantId: opts.tenantId,
    userId: opts.userId,
    personaKey: opts.persona.key,
    conversationId: opts.conversationId,
    messages: opts.messages,
    model: opts.persona.model,
    persona: opts.persona.template,
    tenantProfile: opts.persona.tenantProfile,
    temperature: opts.persona.temperature,
    context: opts.context,
    signal: opts.signal,
    ...opts.gateway,
  });

/** Tokens a call reported; a provider that reports none spent none we can count. */
export const tokensOf = (usage: ChatUsage): Tokens => ({ inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 });

/** The Prisma update that adds spent tokens to a running total (conversation, meeting, task): spent is spent, whatever the outcome. */
export const addTokens = (t: Partial<Tokens>) => ({ inputTokens: { increment: t.inputTokens ?? 0 }, outputTokens: { increment: t.outputTokens ?? 0 } });

export type PersonaAnswer = { text: string; tokens: Tokens; result: ChatResult };

/**
 * The persona's whole answer, for work nobody watches arrive (a meeting turn,
 * a task step): the offline model does not pace itself unless told to.
 * Refuses with tokenBudgetExhausted, before calling the model, when the
 * tenant's month is spent.
 */
export const askPersona = async (opts: PersonaCallOptions): Promise<PersonaAnswer> => {
  await assertWithinBudget(opts.tenantId);
  const result = await streamPersona({ ...opts, gateway: { offlineChunkDelayMs: 0, ...opts.gateway } }).result;
  return { text: result.text, tokens: tokensOf(result.usage), result };
};
