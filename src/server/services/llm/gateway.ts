import "server-only";
import { context as otelContext, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { streamText, type ModelMessage } from "ai";
import { asyncQueue } from "~/lib/async-queue";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { tracer } from "~/server/infra/tracing";
import { recordTokenUsage } from "../budgets/token-budget";
import { compileSystemPrompt, formatContextBlock, getBuiltInPersona, type ContextPassage, type PersonaKey, type PersonaTemplate, type TenantProfile } from "../personas/templates";
import { classify, isRetryable, LlmError } from "./gateway-errors";
import { recordGenAiCall } from "./gateway-metrics";
import { genAiSystem, resolveModel, type LlmProvider, type ModelChoice, type ResolvedModel } from "./gateway-models";
import { OFFLINE_MODEL_ID } from "./offline-model";

// The one way the product talks to a language model. Every call:
//  - retries 429/5xx with exponential backoff (honouring Retry-After), but only
//    BEFORE the first token: once text has reached the user, a retry would
//    repeat or contradict it, so a later failure is reported as streamInterrupted
//    with the partial text;
//  - has a total timeout;
//  - fails with an LlmError carrying a stable `reason` the UI translates
//    (gateway-errors.ts);
//  - is recorded once in LlmCall (never the key, never the content), traced as
//    an OTel span with GenAI attributes and counted in the GenAI client metrics
//    (gateway-metrics.ts);
//  - adds its tokens to the tenant's month (budgets/token-budget.ts), whatever
//    its outcome: what the provider reported was spent. The budget itself is
//    checked by the callers before a call starts, never here mid-call.

export { isLlmError, LLM_ERROR_REASONS, LlmError, type LlmErrorReason } from "./gateway-errors";
export type { LlmProvider, ModelChoice } from "./gateway-models";

export type ChatMessage = { role: "user" | "assistant"; content: string };

export type StreamChatInput = {
  tenantId: string;
  userId: string | null;
  personaKey: PersonaKey;
  conversationId?: string;
  messages: ChatMessage[];
  model: ModelChoice;
  signal?: AbortSignal;
  /** The tenant's customised template; defaults to the built-in one for personaKey. */
  persona?: PersonaTemplate;
  /** Shapes the system prompt; defaults to a neutral profile. */
  tenantProfile?: TenantProfile;
  /** Retrieved knowledge passages, appended to the system prompt and cited as [n]. */
  context?: ContextPassage[];
  /** Total time budget for the call, retries included (default 120 s). */
  timeoutMs?: number;
  /** First backoff delay when no Retry-After is given (default 500 ms, doubled per attempt). */
  retryBaseDelayMs?: number;
  /** Delay between the offline model's word chunks (default 15 ms). */
  offlineChunkDelayMs?: number;
  /** Sampling temperature (provider default when absent; ignored by the offline model). */
  temperature?: number;
};

export type ChatUsage = { inputTokens: number | null; outputTokens: number | null };

export type ChatResult = {
  text: string;
  usage: ChatUsage;
  provider: LlmProvider;
  model: string;
  /** True for the built-in offline model: the UI labels such answers. */
  offline: boolean;
  timeToFirstTokenMs: number | null;
  durationMs: number;
  attempts: number;
  /** The LlmCall row id (null if recording failed; the failure is logged). */
  llmCallId: string | null;
};

export type ChatStream = {
  /** Text deltas in order. Throws the LlmError when the call fails. */
  textStream: AsyncIterable<string>;
  /** Settles when the call is over and recorded: the result, or the LlmError. */
  result: Promise<ChatResult>;
  provider: LlmProvider;
  model: string;
  offline: boolean;
};

export const MAX_ATTEMPTS = 3;
const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_RETRY_AFTER_MS = 30_000;

const NEUTRAL_PROFILE: TenantProfile = { name: "the company" };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** What one call has seen so far: shared by the attempts, the error mapping and the recording. */
type CallState = {
  input: StreamChatInput;
  provider: LlmProvider;
  modelId: string;
  started: number;
  timeoutMs: number;
  span: Span;
  /** The total timeout's own controller: its abort means providerTimeout, not cancelled. */
  timeoutCtl: AbortController;
  /** The caller's abort or the total timeout. */
  stop: AbortSignal;
  text: string;
  firstTokenAt: number | null;
  usage: ChatUsage;
  attempts: number;
};

const toLlmError = (s: CallState, err: unknown): LlmError => {
  if (err instanceof LlmError) return err;
  const { text, attempts } = s;
  if (s.timeoutCtl.signal.aborted) return new LlmError("providerTimeout", `no complete answer within ${s.timeoutMs} ms`, { partialText: text, attempts, cause: err });
  if (s.input.signal?.aborted) return new LlmError("cancelled", "cancelled by the caller", { partialText: text, attempts });
  const c = classify(err);
  if (text.length > 0 && c.reason !== "cancelled") {
    return new LlmError("streamInterrupted", `stream interrupted after ${text.length} characters: ${c.message}`, { partialText: text, providerStatus: c.status, attempts, cause: err });
  }
  return new LlmError(c.reason, c.message, {
    partialText: text,
    providerStatus: c.status,
    attempts,
    retryAfterSeconds: c.retryAfterMs !== undefined ? Math.ceil(c.retryAfterMs / 1000) : undefined,
    cause: err,
  });
};

/** One attempt: streams the deltas into `push` and collects the usage. */
const attempt = async (s: CallState, model: ResolvedModel["model"], prompt: { system: string; messages: ModelMessage[] }, push: (t: string) => void): Promise<void> => {
  const res = streamText({
    model,
    ...prompt,
    ...(s.input.temperature !== undefined && s.provider !== "offline" ? { temperature: s.input.temperature } : {}),
    maxRetries: 0, // we retry ourselves, and only before the first token
    abortSignal: s.stop,
    // Errors arrive as "error" parts below and are classified there; the SDK's
    // default handler would also print them (with the request body) to stderr.
    onError: () => undefined,
  });
  for await (const part of res.fullStream) {
    switch (part.type) {
      case "text-delta":
        if (!part.text) break;
        if (s.firstTokenAt === null) {
          s.firstTokenAt = performance.now();
          s.span.addEvent("gen_ai.first_token");
        }
        s.text += part.text;
        push(part.text);
        break;
      case "finish":
        s.usage = { inputTokens: part.totalUsage.inputTokens ?? null, outputTokens: part.totalUsage.outputTokens ?? null };
        break;
      case "error":
        throw part.error;
      case "abort":
        throw Object.assign(new Error("aborted"), { name: "AbortError" });
      default:
        break;
    }
  }
  if (s.stop.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
};

/** Attempts until one succeeds or retrying is no longer allowed (see the header). */
const runAttempts = async (s: CallState, once: () => Promise<void>): Promise<void> => {
  const baseDelay = s.input.retryBaseDelayMs ?? 500;
  for (;;) {
    s.attempts++;
    try {
      await otelContext.with(trace.setSpan(otelContext.active(), s.span), once);
      return;
    } catch (err) {
      const e = toLlmError(s, err);
      const c = classify(err);
      const elapsed = performance.now() - s.started;
      const canRetry = s.text.length === 0 && !s.stop.aborted && isRetryable(c) && s.attempts < MAX_ATTEMPTS;
      if (!canRetry) throw e;
      const backoff = baseDelay * 2 ** (s.attempts - 1);
      const wait = c.retryAfterMs !== undefined ? Math.min(Math.max(c.retryAfterMs, 0), MAX_RETRY_AFTER_MS) : backoff;
      // Waiting past the deadline is pointless: fail now with the real reason.
      if (elapsed + wait >= s.timeoutMs) throw e;
      s.span.addEvent("gen_ai.retry", { attempt: s.attempts, reason: e.reason, wait_ms: Math.round(wait) });
      logger.warn({ provider: s.provider, model: s.modelId, attempt: s.attempts, reason: e.reason, waitMs: Math.round(wait) }, "llm call retrying");
      await sleep(wait, s.stop);
      if (s.stop.aborted) throw toLlmError(s, s.stop.reason);
    }
  }
};

const timeToFirstToken = (s: CallState) => (s.firstTokenAt === null ? null : Math.round(s.firstTokenAt - s.started));

/** The month's token total for the budget; a failure is logged, never the call's. */
const countTokens = async ({ input, usage }: CallState): Promise<void> => {
  const tokens = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  if (tokens <= 0) return;
  try {
    await recordTokenUsage(input.tenantId, tokens);
  } catch (err) {
    logger.error({ err: (err as Error).message, tenantId: input.tenantId, tokens }, "token usage could not be counted");
  }
};

const insertLlmCall = async (s: CallState, status: "ok" | "error" | "cancelled", error: LlmError | null, durationMs: number, ttft: number | null): Promise<string | null> => {
  const { input, modelId, usage } = s;
  try {
    const row = await db.llmCall.create({
      data: {
        tenantId: input.tenantId,
        userId: input.userId,
        personaKey: input.personaKey,
        conversationId: input.conversationId ?? null,
        provider: s.provider,
        model: modelId,
        operation: "chat",
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        timeToFirstTokenMs: ttft,
        durationMs,
        status,
        errorCode: error?.reason ?? null,
      },
      select: { id: true },
    });
    return row.id;
  } catch (err) {
    logger.error({ err: (err as Error).message, tenantId: input.tenantId }, "llm call could not be recorded");
    return null;
  }
};

/** Metrics, span attributes and the LlmCall row for the finished call; returns the row id (null if it could not be written). */
const recordCall = async (s: CallState, status: "ok" | "error" | "cancelled", error: LlmError | null): Promise<string | null> => {
  const { modelId, usage, span } = s;
  const durationMs = Math.round(performance.now() - s.started);
  const ttft = timeToFirstToken(s);
  recordGenAiCall({ provider: genAiSystem(s.provider), model: modelId, durationMs, timeToFirstChunkMs: ttft, ...usage, errorType: error?.reason ?? null });

  if (usage.inputTokens !== null) span.setAttribute("gen_ai.usage.input_tokens", usage.inputTokens);
  if (usage.outputTokens !== null) span.setAttribute("gen_ai.usage.output_tokens", usage.outputTokens);
  span.setAttribute("gen_ai.response.model", modelId);
  span.setAttribute("ocsuite.llm.attempts", s.attempts);
  span.setAttribute("ocsuite.llm.status", status);
  if (ttft !== null) span.setAttribute("ocsuite.llm.time_to_first_token_ms", ttft);
  if (error) {
    span.setAttribute("error.type", error.reason);
    if (status === "error") span.setStatus({ code: SpanStatusCode.ERROR, message: error.reason });
  }
  span.end();

  const [llmCallId] = await Promise.all([insertLlmCall(s, status, error, durationMs, ttft), countTokens(s)]);
  return llmCallId;
};

const startSpan = (input: StreamChatInput, provider: LlmProvider, modelId: string) =>
  tracer.startSpan(`chat ${modelId}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.system": genAiSystem(provider),
      "gen_ai.provider.name": genAiSystem(provider),
      "gen_ai.request.model": modelId,
      "ocsuite.tenant.id": input.tenantId,
      "ocsuite.persona": input.personaKey,
      ...(input.temperature !== undefined ? { "gen_ai.request.temperature": input.temperature } : {}),
      ...(input.conversationId ? { "gen_ai.conversation.id": input.conversationId } : {}),
    },
  });

/** A call that failed before it started (the model choice cannot be used): the same shape, already failed. */
const failedAtOnce = (input: StreamChatInput, err: unknown): ChatStream => {
  const queue = asyncQueue<string>();
  const result = Promise.reject(err as Error);
  result.catch(() => undefined);
  queue.end(err);
  const provider = input.model.provider;
  return { textStream: queue.iterable, result, provider, model: "model" in input.model ? input.model.model : OFFLINE_MODEL_ID, offline: provider === "offline" };
};

/**
 * Streams a persona's answer. Returns at once; the call runs in the background
 * and is recorded when it ends. Consume `textStream` for deltas and await
 * `result` for the outcome (it rejects with an LlmError).
 */
export function streamChat(input: StreamChatInput): ChatStream {
  const started = performance.now();
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let resolved: ResolvedModel;
  try {
    resolved = resolveModel(input.model, input.personaKey, input.offlineChunkDelayMs, input.persona);
  } catch (err) {
    return failedAtOnce(input, err);
  }
  const { model, provider, modelId } = resolved;
  const queue = asyncQueue<string>();

  const persona = input.persona ?? getBuiltInPersona(input.personaKey);
  const contextBlock = formatContextBlock(input.context ?? []);
  const system = [compileSystemPrompt({ persona, tenantProfile: input.tenantProfile ?? NEUTRAL_PROFILE }), contextBlock].filter(Boolean).join("\n\n");
  const messages: ModelMessage[] = input.messages.map((m) => ({ role: m.role, content: m.content }));

  // One signal for "stop now": the caller's abort or the total timeout.
  const timeoutCtl = new AbortController();
  const timer = setTimeout(() => timeoutCtl.abort(new DOMException("LLM call timed out", "TimeoutError")), timeoutMs);
  const stop = input.signal ? AbortSignal.any([input.signal, timeoutCtl.signal]) : timeoutCtl.signal;

  const s: CallState = {
    input,
    provider,
    modelId,
    started,
    timeoutMs,
    span: startSpan(input, provider, modelId),
    timeoutCtl,
    stop,
    text: "",
    firstTokenAt: null,
    usage: { inputTokens: null, outputTokens: null },
    attempts: 0,
  };

  const result = (async (): Promise<ChatResult> => {
    try {
      await runAttempts(s, () => attempt(s, model, { system, messages }, queue.push));
    } catch (err) {
      const e = toLlmError(s, err);
      clearTimeout(timer);
      await recordCall(s, e.reason === "cancelled" ? "cancelled" : "error", e);
      queue.end(e);
      throw e;
    }
    clearTimeout(timer);
    const llmCallId = await recordCall(s, "ok", null);
    queue.end();
    return {
      text: s.text,
      usage: s.usage,
      provider,
      model: modelId,
      offline: provider === "offline",
      timeToFirstTokenMs: timeToFirstToken(s),
      durationMs: Math.round(performance.now() - started),
      attempts: s.attempts,
      llmCallId,
    };
  })();
  // The caller may only iterate textStream; the rejection is delivered there too.
  result.catch(() => undefined);

  return { textStream: queue.iterable, result, provider, model: modelId, offline: provider === "offline" };
}
