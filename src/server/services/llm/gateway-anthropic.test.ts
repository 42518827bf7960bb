import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf } from "../../../../prisma/factories";
import { anthropicWordChunks, startMockAnthropic, type MockAnthropic } from "../../../../tests/support/mock-anthropic-server";
import { db } from "~/server/db/client";
import { createGuardedFetch } from "~/server/infra/outbound-fetch";
import { createCredential, getDecryptedCredential, testCredential } from "../providers/credentials";
import { isLlmError, LlmError, streamChat, type StreamChatInput } from "./gateway";
import { getBuiltInPersona } from "../personas/templates";

// The Anthropic provider path end to end: the gateway drives @ai-sdk/anthropic,
// which speaks the Messages API (SSE) to a real local server.

const KEY = "sk-ant-api03-test-0123456789abcdefSECRET";
const REPLY = "Margins first: we price for the segment that renews, not the one that churns.";
let mock: MockAnthropic;

beforeAll(async () => {
  mock = await startMockAnthropic({ reply: REPLY, validKey: KEY });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.setBehaviour({
    reply: REPLY,
    validKey: KEY,
    chunkDelayMs: 0,
    rateLimitFirst: 0,
    retryAfterSeconds: 1,
    overloadedFirst: 0,
    fail500: false,
    dropAfterDeltas: null,
    errorEventAfterDeltas: null,
    usage: { input_tokens: 23, output_tokens: 9 },
  });
});

const input = (over: Partial<StreamChatInput> = {}): StreamChatInput => ({
  tenantId: `t_${randomUUID()}`,
  userId: `u_${randomUUID()}`,
  personaKey: "cmo",
  conversationId: `c_${randomUUID()}`,
  messages: [{ role: "user", content: "Should we raise prices for the Pro plan?" }],
  model: { provider: "anthropic", apiKey: KEY, baseUrl: mock.url, model: "claude-haiku-4-5" },
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
const messageRequests = () => mock.requests.filter((r) => r.method === "POST" && r.path === "/v1/messages");

describe("streamChat via the Anthropic provider against a Messages API server", () => {
  it("streams the text in order with the key in x-api-key, and records usage and one LlmCall without the key", async () => {
    mock.setBehaviour({ chunkDelayMs: 5 });
    const i = input();
    const s = streamChat(i);
    expect(s).toMatchObject({ provider: "anthropic", model: "claude-haiku-4-5", offline: false });
    const { deltas, error } = await collect(s);
    expect(error).toBeNull();
    expect(deltas).toEqual(anthropicWordChunks(REPLY));
    const res = await s.result;
    expect(res).toMatchObject({ text: REPLY, usage: { inputTokens: 23, outputTokens: 9 }, attempts: 1, provider: "anthropic", offline: false });

    const [req, ...more] = messageRequests();
    expect(more).toHaveLength(0);
    expect(req!.headers["x-api-key"]).toBe(KEY);
    expect(req!.headers["anthropic-version"]).toBe("2023-06-01");
    expect(req!.headers.authorization).toBeUndefined();
    const body = req!.body as { model: string; stream: boolean; max_tokens: number; system: { type: string; text: string }[] | string; messages: { role: string; content: unknown }[] };
    expect(body).toMatchObject({ model: "claude-haiku-4-5", stream: true });
    expect(body.max_tokens).toBeGreaterThan(0);
    // The persona prompt travels in Anthropic's top-level `system`, not as a message.
    expect(JSON.stringify(body.system)).toContain(`You are the ${getBuiltInPersona("cmo").name} of Acme`);
    expect(body.messages.map((m) => m.role)).toEqual(["user"]);
    expect(JSON.stringify(body.messages[0]!.content)).toContain("Should we raise prices for the Pro plan?");

    const [row, ...others] = await rows(i.tenantId);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({
      id: res.llmCallId,
      userId: i.userId,
      personaKey: "cmo",
      conversationId: i.conversationId,
      provider: "anthropic",
      model: "claude-haiku-4-5",
      operation: "chat",
      inputTokens: 23,
      outputTokens: 9,
      status: "ok",
      errorCode: null,
    });
    expect(row!.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(row)).not.toContain("SECRET");
  });

  it("retries a 429 rate_limit_error after retry-after, before the first token", async () => {
    mock.setBehaviour({ rateLimitFirst: 1, retryAfterSeconds: 1 });
    const i = input();
    const t0 = performance.now();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toBeNull();
    expect(deltas.join("")).toBe(REPLY);
    expect((await s.result).attempts).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(messageRequests()).toHaveLength(2);
    expect(await rows(i.tenantId)).toMatchObject([{ status: "ok", errorCode: null, inputTokens: 23, outputTokens: 9 }]);
  });

  it("retries a 529 overloaded_error with backoff, and gives up on repeated 500 api_error as providerUnavailable", async () => {
    mock.setBehaviour({ overloadedFirst: 2 });
    const ok = await streamChat(input()).result;
    expect(ok).toMatchObject({ text: REPLY, attempts: 3 });
    expect(messageRequests()).toHaveLength(3);

    mock.setBehaviour({ overloadedFirst: 0, fail500: true });
    const i = input();
    const err = await streamChat(i).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "providerUnavailable", providerStatus: 500, attempts: 3, code: "SERVICE_UNAVAILABLE" });
    expect(messageRequests()).toHaveLength(6);
    expect(await rows(i.tenantId)).toMatchObject([{ status: "error", errorCode: "providerUnavailable", timeToFirstTokenMs: null }]);
  });

  it("reports a dropped connection mid-stream as streamInterrupted with the partial text, without retrying", async () => {
    mock.setBehaviour({ dropAfterDeltas: 3 });
    const i = input();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toBeInstanceOf(LlmError);
    const e = error as InstanceType<typeof LlmError>;
    expect(e.reason).toBe("streamInterrupted");
    expect(deltas).toEqual(anthropicWordChunks(REPLY).slice(0, 3));
    expect(e.partialText).toBe(deltas.join(""));
    expect(messageRequests()).toHaveLength(1);
    const [row] = await rows(i.tenantId);
    expect(row).toMatchObject({ status: "error", errorCode: "streamInterrupted", inputTokens: null });
    expect(row!.timeToFirstTokenMs).not.toBeNull();
  });

  it("reports an SSE error event mid-stream as streamInterrupted, without retrying", async () => {
    mock.setBehaviour({ errorEventAfterDeltas: 2 });
    const i = input();
    const s = streamChat(i);
    const { deltas, error } = await collect(s);
    expect(error).toMatchObject({ reason: "streamInterrupted", partialText: anthropicWordChunks(REPLY).slice(0, 2).join("") });
    expect(deltas).toEqual(anthropicWordChunks(REPLY).slice(0, 2));
    expect(messageRequests()).toHaveLength(1);
    expect(await rows(i.tenantId)).toMatchObject([{ status: "error", errorCode: "streamInterrupted" }]);
  });

  it("fails a wrong key (401 authentication_error) with providerAuthFailed, without retrying", async () => {
    const i = input({ model: { provider: "anthropic", apiKey: "sk-ant-wrong-key-000000", baseUrl: mock.url, model: "claude-haiku-4-5" } });
    const { deltas, error } = await collect(streamChat(i));
    expect(deltas).toEqual([]);
    expect(isLlmError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "providerAuthFailed", providerStatus: 401, attempts: 1, code: "PRECONDITION_FAILED" });
    expect(messageRequests()).toHaveLength(1);
    expect(await rows(i.tenantId)).toMatchObject([{ status: "error", errorCode: "providerAuthFailed" }]);
  });

  it("serves a non-streaming message too (the mock speaks both forms)", async () => {
    const r = await fetch(`${mock.url}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEY, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ type: "message", role: "assistant", content: [{ type: "text", text: REPLY }], usage: { input_tokens: 23, output_tokens: 9 } });
    const noVersion = await fetch(`${mock.url}/messages`, { method: "POST", headers: { "x-api-key": KEY }, body: "{}" });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });
});

describe("the gateway's SSRF guard", () => {
  it.each(["anthropic", "openai", "openai-compatible"] as const)("refuses a %s base URL on a private address with providerAddressBlocked, without retrying", async (provider) => {
    const i = input({ model: { provider, apiKey: KEY, baseUrl: "http://10.0.0.1:8080/v1", model: "m" } });
    const t0 = performance.now();
    const { deltas, error } = await collect(streamChat(i));
    expect(deltas).toEqual([]);
    expect(error).toMatchObject({ reason: "providerAddressBlocked", code: "PRECONDITION_FAILED", attempts: 1 });
    // Refused before any connection attempt, so no connect timeout was waited for.
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(await rows(i.tenantId)).toMatchObject([{ status: "error", errorCode: "providerAddressBlocked", provider }]);
  });
});

describe("testCredential on an anthropic credential against the Messages API server", () => {
  const setup = async () => {
    const f = await createTenantWithMembers();
    return { ...f, ctx: tenantCtxOf(f.tenant, f.admin, "ADMIN") };
  };

  it("ok with the model list, sending x-api-key and anthropic-version; the decrypted credential drives streamChat", async () => {
    const { ctx } = await setup();
    const c = await createCredential(ctx, { provider: "anthropic", label: "Claude (mock)", apiKey: KEY, baseUrl: mock.url, defaultModel: "claude-haiku-4-5" });
    expect(await testCredential(ctx, { id: c.id })).toEqual({ ok: true, status: 200, models: ["claude-haiku-4-5", "claude-opus-4-5"] });
    expect(mock.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/models", headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01" } });

    const cred = await getDecryptedCredential(ctx, c.id);
    const res = await streamChat(input({ tenantId: ctx.tenantId, model: { provider: cred.provider as "anthropic", apiKey: cred.apiKey, baseUrl: cred.baseUrl, model: cred.defaultModel! } })).result;
    expect(res).toMatchObject({ text: REPLY, provider: "anthropic", model: "claude-haiku-4-5" });
  });

  it("a wrong key → 401 providerUnauthorized, audited", async () => {
    const { ctx, tenant } = await setup();
    const c = await createCredential(ctx, { provider: "anthropic", label: "Claude wrong", apiKey: "sk-ant-wrong-key-111111", baseUrl: mock.url });
    expect(await testCredential(ctx, { id: c.id })).toEqual({ ok: false, status: 401, error: "providerUnauthorized" });
    expect(await db.auditEvent.findFirst({ where: { tenantId: tenant.id, action: "provider_credential.test_failed" } })).toMatchObject({
      targetId: c.id,
      metadata: { provider: "anthropic", status: 401, reason: "providerUnauthorized" },
    });
  });

  it("under the strict policy the local server is refused: providerAddressBlocked, and no request reaches it", async () => {
    const { ctx } = await setup();
    const c = await createCredential(ctx, { provider: "anthropic", label: "Claude local", apiKey: KEY, baseUrl: mock.url });
    expect(await testCredential(ctx, { id: c.id }, { fetch: createGuardedFetch({ allowPrivateAddresses: false }) })).toEqual({ ok: false, status: null, error: "providerAddressBlocked" });
    expect(mock.requests).toHaveLength(0);
  });
});
