import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { startMockOpenAI, wordChunks, type MockOpenAI } from "../../../../tests/support/mock-openai-server";
import { sampleValue, scrapeSamples } from "../../../../tests/support/prometheus-text";
import type { StreamChatInput } from "./gateway";
import { OFFLINE_DISCLOSURE, OFFLINE_MODEL_ID } from "./offline-model";
import { getBuiltInPersona } from "../personas/templates";

// The tracer provider must be global before the gateway (and ~/server/infra/tracing's
// tracer) is evaluated, hence the dynamic import below.
const spans = new InMemorySpanExporter();
trace.disable();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
const { isLlmError, LlmError, streamChat } = await import("./gateway");

const KEY = "sk-test-0123456789abcdefSECRET";
const REPLY = "Cash first: we have nine months of runway, so any price change must protect it.";
let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI({ reply: REPLY });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.setBehaviour({ reply: REPLY, chunkDelayMs: 0, timeToFirstTokenMs: 0, fail500: false, failWithStatus: null, rateLimitFirst: 0, retryAfterSeconds: 1, dropAfterChunks: null, usage: { prompt_tokens: 11, completion_tokens: 7 } });
  spans.reset();
});

const input = (over: Partial<StreamChatInput> = {}): StreamChatInput => ({
  tenantId: `t_${randomUUID()}`,
  userId: `u_${randomUUID()}`,
  personaKey: "cfo",
  conversationId: `c_${randomUUID()}`,
  messages: [{ role: "user", content: "Can we afford to hire two engineers?" }],
  model: { provider: "openai-compatible", apiKey: KEY, baseUrl: mock.url, model: "mock-model" },
  tenantProfile: { name: "Acme" },
  retryBaseDelayMs: 20,
  ...over,
});

const collect = async (s: ReturnType<typeof streamChat>) => {
  const deltas: string[] = [];
  let error: unknown = null;
  try {
    for await (const d of s.textStream) deltas.push(d);
  } catch (err) {
    error = err;
  }
  return { deltas, error };
};

const rows = (tenantId: string) => db.llmCall.findMany({ where: { tenantId } });
const completions = () => mock.requests.filter((r) => r.path === "/v1/chat/completions");

describe("streamChat via the OpenAI-compatible provider against a real HTTP server", () => {
  it("streams the text in order, sends the persona prompt and the key, and records usage without the key", async () => {
    mock.setBehaviour({ chunkDelayMs: 10 });
    const i = input();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toBeNull();
    expect(deltas).toEqual(wordChunks(REPLY));
    const res = await s.result;
    expect(res.text).toBe(REPLY);
    expect(res.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
    expect(res.attempts).toBe(1);
    expect(res.offline).toBe(false);

    const [req] = completions();
    expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = req!.body as { stream: boolean; stream_options?: { include_usage?: boolean }; messages: { role: string; content: string }[] };
    expect(body.stream).toBe(true);
    expect(body.stream_options?.include_usage).toBe(true);
    expect(body.messages[0]!.role).toBe("system");
    expect(body.messages[0]!.content).toContain(`You are the ${getBuiltInPersona("cfo").name} of Acme`);
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "Can we afford to hire two engineers?" });

    const [row, ...more] = await rows(i.tenantId);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      id: res.llmCallId,
      userId: i.userId,
      personaKey: "cfo",
      conversationId: i.conversationId,
      provider: "openai-compatible",
      model: "mock-model",
      operation: "chat",
      inputTokens: 11,
      outputTokens: 7,
      status: "ok",
      errorCode: null,
    });
    expect(row!.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(row!.durationMs).toBeGreaterThanOrEqual(row!.timeToFirstTokenMs!);
    expect(row!.durationMs).toBeGreaterThanOrEqual((wordChunks(REPLY).length - 1) * 10 * 0.8);
    expect(JSON.stringify(row)).not.toContain(KEY);
    expect(JSON.stringify(row)).not.toContain("SECRET");
  });

  it("cites retrieved passages through the system prompt", async () => {
    const s = streamChat(input({ context: [{ title: "Budget 2026", text: "Hiring budget: two engineers in Q2." }] }));
    await s.result;
    const body = completions()[0]!.body as { messages: { content: string }[] };
    expect(body.messages[0]!.content).toContain("<context>\n[1] Budget 2026 :: Hiring budget: two engineers in Q2.\n</context>");
  });

  it("retries a 429 after Retry-After, before the first token, and records one ok call", async () => {
    mock.setBehaviour({ rateLimitFirst: 1, retryAfterSeconds: 1 });
    const i = input();
    const t0 = performance.now();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toBeNull();
    expect(deltas.join("")).toBe(REPLY);
    const res = await s.result;
    expect(res.attempts).toBe(2);
    const reqs = completions();
    expect(reqs).toHaveLength(2);
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(950);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    const r = await rows(i.tenantId);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ status: "ok", errorCode: null, outputTokens: 7 });
  });

  it("gives up after 3 attempts on 500 with providerUnavailable and records the error", async () => {
    mock.setBehaviour({ fail500: true });
    const i = input();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(deltas).toEqual([]);
    expect(isLlmError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "providerUnavailable", providerStatus: 500, attempts: 3, code: "SERVICE_UNAVAILABLE" });
    await expect(s.result).rejects.toBe(error);
    expect(completions()).toHaveLength(3);
    const r = await rows(i.tenantId);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ status: "error", errorCode: "providerUnavailable", timeToFirstTokenMs: null });
  });

  it("does not retry an auth failure (401) or a rejected request (404)", async () => {
    mock.setBehaviour({ failWithStatus: 401 });
    const i = input();
    const err = await streamChat(i).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "providerAuthFailed", providerStatus: 401, attempts: 1 });
    expect(completions()).toHaveLength(1);
    expect((await rows(i.tenantId))[0]).toMatchObject({ status: "error", errorCode: "providerAuthFailed" });

    mock.setBehaviour({ failWithStatus: 404 });
    const err404 = await streamChat(input()).result.catch((e: unknown) => e);
    expect(err404).toMatchObject({ reason: "providerRejected", providerStatus: 404, attempts: 1 });
    expect(completions()).toHaveLength(2);
  });

  it("serves GET /v1/models and a non-streaming completion", async () => {
    const models = (await (await fetch(`${mock.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0]!.id).toBe("mock-model");
    const r = await fetch(`${mock.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    });
    const body = (await r.json()) as { choices: { message: { content: string } }[]; usage: { total_tokens: number } };
    expect(body.choices[0]!.message.content).toBe(REPLY);
    expect(body.usage.total_tokens).toBe(18);
  });

  it("reports a mid-stream drop as streamInterrupted with the partial text, without retrying", async () => {
    mock.setBehaviour({ dropAfterChunks: 4 });
    const i = input();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toBeInstanceOf(LlmError);
    const e = error as InstanceType<typeof LlmError>;
    expect(e.reason).toBe("streamInterrupted");
    expect(deltas).toEqual(wordChunks(REPLY).slice(0, 4));
    expect(e.partialText).toBe(deltas.join(""));
    expect(completions()).toHaveLength(1);
    const r = await rows(i.tenantId);
    expect(r[0]).toMatchObject({ status: "error", errorCode: "streamInterrupted" });
    expect(r[0]!.timeToFirstTokenMs).not.toBeNull();
  });

  it("stops on the caller's abort signal and records the call as cancelled", async () => {
    mock.setBehaviour({ chunkDelayMs: 50 });
    const ac = new AbortController();
    const i = input({ signal: ac.signal });
    const s = streamChat(i);
    const deltas: string[] = [];
    let error: unknown = null;
    try {
      for await (const d of s.textStream) {
        deltas.push(d);
        if (deltas.length === 2) ac.abort();
      }
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ reason: "cancelled" });
    expect(deltas.length).toBeLessThan(wordChunks(REPLY).length);
    const r = await rows(i.tenantId);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ status: "cancelled", errorCode: "cancelled" });
  });

  it("fails with providerTimeout when the total timeout passes before the answer completes", async () => {
    mock.setBehaviour({ timeToFirstTokenMs: 2_000 });
    const i = input({ timeoutMs: 300 });
    const t0 = performance.now();
    const err = await streamChat(i).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "providerTimeout" });
    expect(performance.now() - t0).toBeLessThan(1_500);
    const r = await rows(i.tenantId);
    expect(r[0]).toMatchObject({ status: "error", errorCode: "providerTimeout" });
  });

  it("works through the OpenAI provider's chat path too", async () => {
    const i = input({ model: { provider: "openai", apiKey: KEY, baseUrl: mock.url, model: "gpt-mock" } });
    const res = await streamChat(i).result;
    expect(res.text).toBe(REPLY);
    expect(completions()[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect((await rows(i.tenantId))[0]).toMatchObject({ provider: "openai", model: "gpt-mock", status: "ok" });
  });

  it("emits a GenAI span and the token, duration and time-to-first-token metrics", async () => {
    const i = input();
    // "mock-model" is no known family: its metrics carry gen_ai.request.model = "other".
    const genAi = { gen_ai_operation_name: "chat", gen_ai_provider_name: "openai_compatible", gen_ai_request_model: "other" };
    const read = async () => {
      const s = await scrapeSamples();
      const v = (name: string, labels: Record<string, string> = {}, absent: string[] = []) => sampleValue(s, name, { ...genAi, ...labels }, absent);
      return {
        inputSum: v("gen_ai_client_token_usage_sum", { gen_ai_token_type: "input" }),
        outputSum: v("gen_ai_client_token_usage_sum", { gen_ai_token_type: "output" }),
        tokenCount: v("gen_ai_client_token_usage_count"),
        okDurations: v("gen_ai_client_operation_duration_count", {}, ["error_type"]),
        firstChunks: v("gen_ai_client_operation_time_to_first_chunk_count"),
      };
    };
    const before = await read();
    await streamChat(i).result;
    const span = spans.getFinishedSpans().find((sp) => sp.name === "chat mock-model");
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai_compatible",
      "gen_ai.provider.name": "openai_compatible",
      "gen_ai.request.model": "mock-model",
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 7,
    });
    expect(JSON.stringify(span?.attributes)).not.toContain(KEY);
    const after = await read();
    expect(after.inputSum - before.inputSum).toBe(11);
    expect(after.outputSum - before.outputSum).toBe(7);
    expect(after.tokenCount - before.tokenCount).toBe(2); // one sample per token type
    expect(after.okDurations - before.okDurations).toBe(1);
    expect(after.firstChunks - before.firstChunks).toBe(1);
    // Neither the tenant nor the raw model string is a label.
    expect((await scrapeSamples()).some((s) => Object.values(s.labels).includes(i.tenantId) || Object.values(s.labels).includes("mock-model"))).toBe(false);
  });
});

describe("streamChat with the built-in offline model", () => {
  it("streams an honest, persona-voiced answer citing the passages, and records it", async () => {
    const i = input({
      personaKey: "general-counsel",
      model: { provider: "offline" },
      offlineChunkDelayMs: 1,
      messages: [{ role: "user", content: "Can we reuse customer emails for marketing?" }],
      context: [{ title: "Privacy policy", text: "Customer emails are used only to deliver the service. Marketing requires consent." }],
    });
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toBeNull();
    expect(deltas.length).toBeGreaterThan(20);
    const res = await s.result;
    expect(res.offline).toBe(true);
    expect(res.text).toBe(deltas.join(""));
    expect(res.text).toContain(getBuiltInPersona("general-counsel").opening);
    expect(res.text).toContain("Privacy policy [1]");
    expect(res.text).toContain(OFFLINE_DISCLOSURE);
    expect(res.usage.outputTokens).toBe(res.text.split(/\s+/).filter(Boolean).length);
    expect(mock.requests).toHaveLength(0);
    const r = await rows(i.tenantId);
    expect(r[0]).toMatchObject({ provider: "offline", model: OFFLINE_MODEL_ID, status: "ok", personaKey: "general-counsel", outputTokens: res.usage.outputTokens });
    expect(r[0]!.inputTokens).toBeGreaterThan(50);
  });
});
