/**
 * A workspace's monthly token budget in chat, through the real route module
 * (POST /api/t/[tenantSlug]/chat, as tests/chat-route.test.ts drives it): a
 * real session cookie, the real turn, and a real OpenAI-protocol server whose
 * request log shows whether a model call was started.
 */
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, createTenantWithMembers, createUser, tenantCtxOf, TEST_META, uid } from "../prisma/factories";
import { POST } from "~/app/api/t/[tenantSlug]/chat/route";
import { db } from "~/server/db/client";
import { setTokenBudget } from "~/server/services/budgets/set-budget";
import { createCredential } from "~/server/services/providers/credentials";
import { startMockOpenAI, type MockOpenAI } from "./support/mock-openai-server";
import { sampleValue, scrapeSamples } from "./support/prometheus-text";

const APP = "http://localhost:3000";
const REPLY = "Hold spending flat until the next funding round.";
let mock: MockOpenAI;

beforeAll(async () => {
  // 11 + 7 = 18 tokens per answer.
  mock = await startMockOpenAI({ reply: REPLY, usage: { prompt_tokens: 11, completion_tokens: 7 } });
});
afterAll(async () => {
  await mock.close();
});

const setup = async () => {
  const f = await createTenantWithMembers();
  await createCredential(
    tenantCtxOf(f.tenant, f.owner, "OWNER"),
    { provider: "openai-compatible", label: "Mock", apiKey: `sk-budget-${uid(8)}`, baseUrl: mock.url, defaultModel: "mock-model" },
    { allowPrivateAddresses: true },
  );
  const { sessionToken } = await createSession(f.member.id);
  const jwt = await encode({ token: { sub: f.member.id, sid: sessionToken, email: f.member.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  const admin = await createUser({ isPlatformAdmin: true });
  const budget = (monthlyTokens: number | null) => setTokenBudget({ tenantId: f.tenant.id, monthlyTokens, reason: "Test budget" }, { adminUserId: admin.id, meta: TEST_META });
  const post = (body: unknown) =>
    POST(
      new Request(`${APP}/api/t/${f.tenant.slug}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: APP, "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", cookie: `authjs.session-token=${jwt}` },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ tenantSlug: f.tenant.slug }) },
    );
  return { ...f, budget, post };
};

const ndjson = async (res: Response) =>
  (await res.text())
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });

const modelRequests = () => mock.requests.filter((r) => r.path === "/v1/chat/completions").length;
const messagesOf = (tenantId: string) =>
  db.message.findMany({ where: { tenantId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, role: true, status: true, content: true } });

describe("chat against the monthly token budget", () => {
  it("answers while under the budget, lets the answer that crosses it finish, then refuses the next turn with the reason and writes nothing", async () => {
    const f = await setup();
    await f.budget(30);

    const first = await ndjson(await f.post({ action: "send", personaKey: "cfo", content: "Can we afford two more hires?" }));
    expect(first.at(-1)).toMatchObject({ type: "done", message: { status: "complete", inputTokens: 11, outputTokens: 7 } });
    const conversationId = (first[0]!.conversation as { id: string }).id;

    // 18 of 30 used: this turn is allowed to start, and to finish although it ends at 36.
    const crossing = await ndjson(await f.post({ action: "send", conversationId, personaKey: "cfo", content: "And a third?" }));
    expect(crossing.at(-1)).toMatchObject({ type: "done", message: { status: "complete", content: REPLY } });
    expect(await db.tenantTokenUsage.findFirst({ where: { tenantId: f.tenant.id }, select: { tokens: true } })).toEqual({ tokens: 36 });

    const before = { messages: await messagesOf(f.tenant.id), conversations: await db.conversation.count({ where: { tenantId: f.tenant.id } }), model: modelRequests() };
    // A new question in the same conversation, a new conversation, and a regenerate: all refused before anything is written.
    for (const body of [
      { action: "send", conversationId, personaKey: "cfo", content: "Please keep this question" },
      { action: "send", personaKey: "ceo", content: "A new conversation" },
      { action: "regenerate", conversationId },
    ]) {
      const res = await f.post(body);
      expect(res.status).toBe(412);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: "PRECONDITION_FAILED", reason: "tokenBudgetExhausted" });
      // The time to the monthly reset, so the UI can name the date.
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(31 * 86_400);
    }
    // No model call was started, nothing was saved, and the regenerate did not delete the answer it would have replaced.
    expect(modelRequests()).toBe(before.model);
    expect(await messagesOf(f.tenant.id)).toEqual(before.messages);
    expect(await db.conversation.count({ where: { tenantId: f.tenant.id } })).toBe(before.conversations);
    expect(await db.llmCall.count({ where: { tenantId: f.tenant.id } })).toBe(2);
    const samples = await scrapeSamples();
    expect(sampleValue(samples, "ocsuite_chat_turns_refused_total", { error_type: "tokenBudgetExhausted" })).toBeGreaterThanOrEqual(3);

    // Raised by a platform admin: the same question goes through at once.
    await f.budget(1000);
    const again = await ndjson(await f.post({ action: "send", conversationId, personaKey: "cfo", content: "Please keep this question" }));
    expect(again[0]).toMatchObject({ type: "start", userMessage: { content: "Please keep this question" } });
    expect(again.at(-1)).toMatchObject({ type: "done", message: { status: "complete" } });
  });

  it("an unlimited workspace is never refused", async () => {
    const f = await setup();
    await db.tenantTokenUsage.create({ data: { tenantId: f.tenant.id, month: new Date().toISOString().slice(0, 7), tokens: 1_000_000_000 } });
    const events = await ndjson(await f.post({ action: "send", personaKey: "cfo", content: "Anything to cut?" }));
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });
});
