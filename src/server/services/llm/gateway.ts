import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { context as otelContext, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { APICallError, streamText, type LanguageModel, type ModelMessage } from "ai";
import { asyncQueue } from "~/lib/async-queue";
import { db } from "~/server/db/client";
import { AppError, type AppErrorCode } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { guardedFetch, isOutboundBlocked } from "~/server/infra/outbound-fetch";
import { tracer } from "~/server/infra/tracing";
import { createOfflineModel, OFFLINE_MODEL_ID, OFFLINE_PROVIDER } from "./offline-model";
import {
  compileSystemPrompt,
  formatContextBlock,
  getBuiltInPersona,
  type ContextPassage,
  type PersonaKey,
  type PersonaTemplate,
  type TenantProfile,
} from "./personas";

// The one way the product talks to a language model. Every call:
//  - retries 429/5xx with exponential backoff (honouring Retry-After), but only
//    BEFORE the first token: once text has reached the user, a retry would
//    repeat or contradict it, so a later failure is reported as streamInterrupted
//    with the partial text;
//  - has a total timeout;
//  - fails with an LlmError carrying a stable `reason` the UI translates;
//  - is recorded once in LlmCall (never the key, never the content), traced as
//    an OTel span with GenAI attributes and counted in prom-client metrics.

export type LlmProvider = "offline" | "openai" | "anthropic" | "openai-compatible";

export type ModelChoice =
  | { provider: "offline" }
  | { provider: "openai" | "anthropic" | "openai-compatible"; apiKey: string; baseUrl?: string; model: string };

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

export const LLM_ERROR_REASONS = [
  "providerRateLimited",
  "providerUnavailable",
  "providerAuthFailed",
  "providerRejected",
  "providerTimeout",
  "streamInterrupted",
  "cancelled",
  "providerError",
  "providerAddressBlocked",
] as const;
export type LlmErrorReason = (typeof LLM_ERROR_REASONS)[number];

const REASON_CODE: Record<LlmErrorReason, AppErrorCode> = {
  providerRateLimited: "TOO_MANY_REQUESTS",
  providerUnavailable: "SERVICE_UNAVAILABLE",
  // The tenant's provider key is wrong: a configuration problem, not the user's session.
  providerAuthFailed: "PRECONDITION_FAILED",
  providerRejected: "BAD_REQUEST",
  providerTimeout: "SERVICE_UNAVAILABLE",
  streamInterrupted: "SERVICE_UNAVAILABLE",
  cancelled: "BAD_REQUEST",
  providerError: "INTERNAL_SERVER_ERROR",
  // The base URL points at a non-public address (SSRF guard): a configuration problem.
  providerAddressBlocked: "PRECONDITION_FAILED",
};

export class LlmError extends AppError {
  declare readonly reason: LlmErrorReason;
  /** Text streamed before the failure (empty when it failed before the first token). */
  readonly partialText: string;
  /** The provider's HTTP status, when there was one. */
  readonly providerStatus?: number;
  readonly attempts: number;

  constructor(
    reason: LlmErrorReason,
    message: string,
    opts: { partialText?: string; providerStatus?: number; attempts?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(REASON_CODE[reason], reason, message, { retryAfterSeconds: opts.retryAfterSeconds, cause: opts.cause });
    this.name = "LlmError";
    this.partialText = opts.partialText ?? "";
    this.providerStatus = opts.providerStatus;
    this.attempts = opts.attempts ?? 1;
  }
}

export const isLlmError = (e: unknown): e is LlmError => e instanceof LlmError;

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

const resolveModel = (
  choice: ModelChoice,
  personaKey: PersonaKey,
  offlineChunkDelayMs?: number,
  persona?: PersonaTemplate,
): { model: LanguageModel; provider: LlmProvider; modelId: string } => {
  switch (choice.provider) {
    case "offline":
      return { model: createOfflineModel({ personaKey, persona, chunkDelayMs: offlineChunkDelayMs }), provider: "offline", modelId: OFFLINE_MODEL_ID };
    // Every provider request goes through the SSRF guard: base URLs are tenant-chosen.
    case "openai":
      // Chat Completions: the protocol every OpenAI-compatible endpoint shares.
      return { model: createOpenAI({ apiKey: choice.apiKey, baseURL: choice.baseUrl, fetch: guardedFetch }).chat(choice.model), provider: "openai", modelId: choice.model };
    case "anthropic":
      return {
        model: createAnthropic({ apiKey: choice.apiKey, baseURL: choice.baseUrl, fetch: guardedFetch }).languageModel(choice.model),
        provider: "anthropic",
        modelId: choice.model,
      };
    case "openai-compatible": {
      if (!choice.baseUrl) throw new LlmError("providerRejected", "An OpenAI-compatible provider needs a base URL.");
      const p = createOpenAICompatible({ name: "openai-compatible", baseURL: choice.baseUrl, apiKey: choice.apiKey, includeUsage: true, fetch: guardedFetch });
      return { model: p.chatModel(choice.model), provider: "openai-compatible", modelId: choice.model };
    }
  }
};

/** GenAI semantic-convention system name (gen_ai.system / gen_ai.provider.name). */
const genAiSystem = (p: LlmProvider) => (p === "offline" ? OFFLINE_PROVIDER : p === "openai-compatible" ? "openai_compatible" : p);

type Classified = { reason: LlmErrorReason; status?: number; retryAfterMs?: number; message: string };

const retryAfterMs = (headers: Record<string, string> | undefined): number | undefined => {
  if (!headers) return undefined;
  const ms = headers["retry-after-ms"];
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const v = headers["retry-after"];
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
};

const classify = (err: unknown): Classified => {
  if (isOutboundBlocked(err)) return { reason: "providerAddressBlocked", message: "the provider base URL points at a non-public address" };
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    const msg = `provider answered ${status ?? "without a status"}`;
    if (status === 429) return { reason: "providerRateLimited", status, retryAfterMs: retryAfterMs(err.responseHeaders), message: msg };
    if (status === 401 || status === 403) return { reason: "providerAuthFailed", status, message: msg };
    if (status !== undefined && status >= 500) return { reason: "providerUnavailable", status, retryAfterMs: retryAfterMs(err.responseHeaders), message: msg };
    if (status !== undefined && status >= 400) return { reason: "providerRejected", status, message: msg };
    return { reason: "providerUnavailable", message: `provider unreachable: ${err.message}` };
  }
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } } | undefined;
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return { reason: "cancelled", message: "aborted" };
  // fetch reports a refused or reset connection as a TypeError ("fetch failed", "terminated").
  if (e?.name === "TypeError") return { reason: "providerUnavailable", message: `connection failed: ${e.message ?? ""}` };
  return { reason: "providerError", message: e?.message ?? String(err) };
};

/** Only an HTTP 429 or 5xx answer is retried (never a network error, an auth failure or a rejected request). */
const isRetryable = (c: Classified) => c.status !== undefined && (c.status === 429 || c.status >= 500);

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

/**
 * Streams a persona's answer. Returns at once; the call runs in the background
 * and is recorded when it ends. Consume `textStream` for deltas and await
 * `result` for the outcome (it rejects with an LlmError).
 */
export function streamChat(input: StreamChatInput): ChatStream {
  const started = performance.now();
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseDelay = input.retryBaseDelayMs ?? 500;
  const queue = asyncQueue<string>();

  let resolved: ReturnType<typeof resolveModel>;
  try {
    resolved = resolveModel(input.model, input.personaKey, input.offlineChunkDelayMs, input.persona);
  } catch (err) {
    const result = Promise.reject(err as Error);
    result.catch(() => undefined);
    queue.end(err);
    const provider = input.model.provider;
    return { textStream: queue.iterable, result, provider, model: "model" in input.model ? input.model.model : OFFLINE_MODEL_ID, offline: provider === "offline" };
  }
  const { model, provider, modelId } = resolved;

  const persona = input.persona ?? getBuiltInPersona(input.personaKey);
  const contextBlock = formatContextBlock(input.context ?? []);
  const system = [compileSystemPrompt({ persona, tenantProfile: input.tenantProfile ?? NEUTRAL_PROFILE }), contextBlock].filter(Boolean).join("\n\n");
  const messages: ModelMessage[] = input.messages.map((m) => ({ role: m.role, content: m.content }));

  // One signal for "stop now": the caller's abort or the total timeout.
  const timeoutCtl = new AbortController();
  const timer = setTimeout(() => timeoutCtl.abort(new DOMException("LLM call timed out", "TimeoutError")), timeoutMs);
  const stop = input.signal ? AbortSignal.any([input.signal, timeoutCtl.signal]) : timeoutCtl.signal;

  const span = tracer.startSpan(`chat ${modelId}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.system": genAiSystem(provider),
      "gen_ai.provider.name": genAiSystem(provider),
      "gen_ai.request.model": modelId,
      "ocsuite.tenant_id": input.tenantId,
      "ocsuite.persona": input.personaKey,
      ...(input.temperature !== undefined ? { "gen_ai.request.temperature": input.temperature } : {}),
      ...(input.conversationId ? { "gen_ai.conversation.id": input.conversationId } : {}),
    },
  });

  let text = "";
  let firstTokenAt: number | null = null;
  let usage: ChatUsage = { inputTokens: null, outputTokens: null };
  let attempts = 0;

  const attempt = async (): Promise<void> => {
    const res = streamText({
      model,
      system,
      messages,
      ...(input.temperature !== undefined && provider !== "offline" ? { temperature: input.temperature } : {}),
      maxRetries: 0, // we retry ourselves, and only before the first token
      abortSignal: stop,
      // Errors arrive as "error" parts below and are classified there; the SDK's
      // default handler would also print them (with the request body) to stderr.
      onError: () => undefined,
    });
    for await (const part of res.fullStream) {
      switch (part.type) {
        case "text-delta":
          if (!part.text) break;
          if (firstTokenAt === null) {
            firstTokenAt = performance.now();
            span.addEvent("gen_ai.first_token");
          }
          text += part.text;
          queue.push(part.text);
          break;
        case "finish":
          usage = { inputTokens: part.totalUsage.inputTokens ?? null, outputTokens: part.totalUsage.outputTokens ?? null };
          break;
        case "error":
          throw part.error;
        case "abort":
          throw Object.assign(new Error("aborted"), { name: "AbortError" });
        default:
          break;
      }
    }
    if (stop.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
  };

  const toLlmError = (err: unknown): LlmError => {
    if (err instanceof LlmError) return err;
    if (timeoutCtl.signal.aborted) return new LlmError("providerTimeout", `no complete answer within ${timeoutMs} ms`, { partialText: text, attempts, cause: err });
    if (input.signal?.aborted) return new LlmError("cancelled", "cancelled by the caller", { partialText: text, attempts });
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

  const run = async (): Promise<void> => {
    for (;;) {
      attempts++;
      try {
        await otelContext.with(trace.setSpan(otelContext.active(), span), attempt);
        return;
      } catch (err) {
        const e = toLlmError(err);
        const c = classify(err);
        const elapsed = performance.now() - started;
        const canRetry = text.length === 0 && !stop.aborted && isRetryable(c) && attempts < MAX_ATTEMPTS;
        if (!canRetry) throw e;
        const backoff = baseDelay * 2 ** (attempts - 1);
        const wait = c.retryAfterMs !== undefined ? Math.min(Math.max(c.retryAfterMs, 0), MAX_RETRY_AFTER_MS) : backoff;
        // Waiting past the deadline is pointless: fail now with the real reason.
        if (elapsed + wait >= timeoutMs) throw e;
        span.addEvent("gen_ai.retry", { attempt: attempts, reason: e.reason, wait_ms: Math.round(wait) });
        logger.warn({ provider, model: modelId, attempt: attempts, reason: e.reason, waitMs: Math.round(wait) }, "llm call retrying");
        await sleep(wait, stop);
        if (stop.aborted) throw toLlmError(stop.reason);
      }
    }
  };

  const record = async (status: "ok" | "error" | "cancelled", error: LlmError | null): Promise<string | null> => {
    const durationMs = Math.round(performance.now() - started);
    const ttft = firstTokenAt === null ? null : Math.round(firstTokenAt - started);
    metrics.llmCallDuration.observe({ tenant: input.tenantId, model: modelId, outcome: status }, durationMs / 1000);
    if (ttft !== null) metrics.llmTimeToFirstToken.observe({ model: modelId }, ttft / 1000);
    if (usage.inputTokens !== null) metrics.llmTokens.inc({ tenant: input.tenantId, model: modelId, outcome: status, direction: "input" }, usage.inputTokens);
    if (usage.outputTokens !== null) metrics.llmTokens.inc({ tenant: input.tenantId, model: modelId, outcome: status, direction: "output" }, usage.outputTokens);

    if (usage.inputTokens !== null) span.setAttribute("gen_ai.usage.input_tokens", usage.inputTokens);
    if (usage.outputTokens !== null) span.setAttribute("gen_ai.usage.output_tokens", usage.outputTokens);
    span.setAttribute("gen_ai.response.model", modelId);
    span.setAttribute("ocsuite.llm.attempts", attempts);
    span.setAttribute("ocsuite.llm.status", status);
    if (ttft !== null) span.setAttribute("ocsuite.llm.time_to_first_token_ms", ttft);
    if (error) {
      span.setAttribute("error.type", error.reason);
      if (status === "error") span.setStatus({ code: SpanStatusCode.ERROR, message: error.reason });
    }
    span.end();

    try {
      const row = await db.llmCall.create({
        data: {
          tenantId: input.tenantId,
          userId: input.userId,
          personaKey: input.personaKey,
          conversationId: input.conversationId ?? null,
          provider,
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

  const result = (async (): Promise<ChatResult> => {
    try {
      await run();
    } catch (err) {
      const e = toLlmError(err);
      clearTimeout(timer);
      await record(e.reason === "cancelled" ? "cancelled" : "error", e);
      queue.end(e);
      throw e;
    }
    clearTimeout(timer);
    const llmCallId = await record("ok", null);
    queue.end();
    return {
      text,
      usage,
      provider,
      model: modelId,
      offline: provider === "offline",
      timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - started),
      durationMs: Math.round(performance.now() - started),
      attempts,
      llmCallId,
    };
  })();
  // The caller may only iterate textStream; the rejection is delivered there too.
  result.catch(() => undefined);

  return { textStream: queue.iterable, result, provider, model: modelId, offline: provider === "offline" };
}
