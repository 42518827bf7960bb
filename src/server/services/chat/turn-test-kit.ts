import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../prisma/factories";
import { startMockOpenAI, type MockOpenAI } from "../../../../tests/support/mock-openai-server";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { createCredential } from "../providers/credentials";
import type { ChatTurn, ChatTurnCtx, ChatTurnEvent, ChatTurnInput } from "./turn-input";
import { startChatTurn } from "./turns";

// What the chat turn tests (turns.test.ts, grounded-turns.test.ts) share: the
// mock provider, tenants, and running a turn to its end.
// Turns run against a real database: the offline model (no credential) and a real
// OpenAI-compatible HTTP server (tests/support/mock-openai-server.ts) reached
// through a real encrypted credential → decrypt → gateway path.

export const REPLY = "Runway is nine months, so hire one engineer now and one after the next round.";
export const KEY = `sk-chat-${uid(12)}`;
export const FAST = { offlineChunkDelayMs: 0, retryBaseDelayMs: 5 };
let current: MockOpenAI | undefined;
/** The mock server of the running test file (started by withMockOpenAI). */
export const mock = new Proxy({} as MockOpenAI, {
  get: (_target, prop) => {
    if (!current) throw new Error("call withMockOpenAI() in the test file first");
    const value: unknown = Reflect.get(current, prop);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(current) : value;
  },
});

/** Starts the mock provider for the file, and resets it before every test. */
export const withMockOpenAI = () => {
  beforeAll(async () => {
    current = await startMockOpenAI({ reply: REPLY });
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  beforeEach(() => {
    mock.requests.length = 0;
    mock.setBehaviour({ reply: REPLY, chunkDelayMs: 0, timeToFirstTokenMs: 0, fail500: false, failWithStatus: null, rateLimitFirst: 0, dropAfterChunks: null, usage: { prompt_tokens: 11, completion_tokens: 7 } });
  });
};

export const ctxOf = (f: TenantFixture, who: "member" | "owner" | "admin" = "member"): ChatTurnCtx => ({ tenantId: f.tenant.id, userId: f[who].id, meta: { ip: "127.0.0.1", userAgent: "vitest" } });

/** A tenant whose personas answer through the mock server. */
export const providerTenant = async () => {
  const f = await createTenantWithMembers();
  const cred = await createCredential(
    tenantCtxOf(f.tenant, f.owner, "OWNER"),
    { provider: "openai-compatible", label: "Mock", apiKey: KEY, baseUrl: mock.url, defaultModel: "mock-model" },
    { allowPrivateAddresses: true },
  );
  return { ...f, credentialId: cred.id };
};

export const drain = async (turn: ChatTurn) => {
  const events: ChatTurnEvent[] = [];
  for await (const e of turn.events) events.push(e);
  return events;
};

export const run = async (ctx: ChatTurnCtx, input: ChatTurnInput, opts: Parameters<typeof startChatTurn>[2] = {}) => {
  const turn = await startChatTurn(ctx, input, { gateway: FAST, ...opts });
  const events = await drain(turn);
  const outcome = await turn.finished;
  return { turn, events, outcome };
};

export const messagesOf = (conversationId: string) => db.message.findMany({ where: { conversationId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
export const completions = () => mock.requests.filter((r) => r.path === "/v1/chat/completions");
export const sentMessages = (i: number) => (completions()[i]!.body as { messages: { role: string; content: string }[] }).messages;

export const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(err), `expected an AppError, got ${String(err)}`).toBe(true);
  return err as { code: string; reason: string };
};

