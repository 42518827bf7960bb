/**
 * POST /api/t/[tenantSlug]/chat through the real route module: a real Auth.js
 * session cookie (a JWT naming a Session row, checked by the jwt callback),
 * real tenant resolution, rate limits, body limits and the NDJSON stream, with
 * a real OpenAI-compatible HTTP server as the provider where one is needed.
 */
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession, createTenantWithMembers, tenantCtxOf, uid, type FactoryUser } from "../prisma/factories";
import { POST } from "~/app/api/t/[tenantSlug]/chat/route";
import { db } from "~/server/db/client";
import { CHAT_MAX_BODY_BYTES, CHAT_ROUTE } from "~/server/http/chat-route";
import { workloadLimits } from "~/server/infra/workload-limits";
import { createCredential } from "~/server/services/providers/credentials";
import { startMockOpenAI, type MockOpenAI } from "./support/mock-openai-server";
import { sampleValue, scrapeSamples } from "./support/prometheus-text";

const APP = "http://localhost:3000";
const REPLY = "Cut the tail of the roadmap and ship the core first.";
let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI({ reply: REPLY });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.setBehaviour({ reply: REPLY, chunkDelayMs: 0, timeToFirstTokenMs: 0, fail500: false, failWithStatus: null, dropAfterChunks: null });
});

/** The session cookie Auth.js would have set at sign-in. */
const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return { cookie: `authjs.session-token=${jwt}`, sessionToken };
};

type Opts = { cookie?: string; origin?: string | null; headers?: Record<string, string>; signal?: AbortSignal; slug: string };
const post = async (body: unknown, o: Opts) => {
  const headers: Record<string, string> = { "content-type": "application/json", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...o.headers };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.origin !== null) headers.origin = o.origin ?? APP;
  const req = new Request(`${APP}/api/t/${o.slug}/chat`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body), signal: o.signal });
  return POST(req, { params: Promise.resolve({ tenantSlug: o.slug }) });
};

const ndjson = async (res: Response) =>
  (await res.text())
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; reason: string; message: string } }).error;

/** A tenant whose personas answer through the mock server, and a signed-in member. */
const setup = async (opts: { provider?: boolean } = { provider: true }) => {
  const f = await createTenantWithMembers();
  if (opts.provider !== false) {
    await createCredential(
      tenantCtxOf(f.tenant, f.owner, "OWNER"),
      { provider: "openai-compatible", label: "Mock", apiKey: `sk-route-${uid(8)}`, baseUrl: mock.url, defaultModel: "mock-model" },
      { allowPrivateAddresses: true },
    );
  }
  const { cookie, sessionToken } = await cookieFor(f.member);
  return { ...f, cookie, sessionToken, slug: f.tenant.slug };
};

const conversationCount = (tenantId: string) => db.conversation.count({ where: { tenantId } });

describe("POST /api/t/[tenantSlug]/chat: the stream", () => {
  it("streams start, deltas and done as NDJSON, unbuffered, with everything saved", async () => {
    const f = await setup();
    const res = await post({ action: "send", personaKey: "cto", content: "What do we build first?" }, { cookie: `${f.cookie}; NEXT_LOCALE=es`, slug: f.slug });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");

    const events = await ndjson(res);
    expect(events[0]).toMatchObject({
      type: "start",
      conversation: { title: "What do we build first?", personaKey: "cto" },
      userMessage: { role: "user", content: "What do we build first?", status: "complete" },
      provider: "openai-compatible",
      model: "mock-model",
      offline: false,
    });
    expect(typeof (events[0]!.userMessage as { createdAt: unknown }).createdAt).toBe("string");
    const deltas = events.filter((e) => e.type === "delta").map((e) => e.text as string);
    expect(deltas.join("")).toBe(REPLY);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: "done", message: { status: "complete", content: REPLY, inputTokens: 11, outputTokens: 7 }, conversation: { inputTokens: 11, outputTokens: 7 } });
    expect(events.map((e) => e.type)).toEqual(["start", ...deltas.map(() => "delta"), "done"]);

    const conversationId = (events[0]!.conversation as { id: string }).id;
    const rows = await db.message.findMany({ where: { conversationId }, orderBy: { createdAt: "asc" } });
    expect(rows.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    // The page's locale (NEXT_LOCALE) reaches the system prompt.
    const sent = mock.requests.find((r) => r.path === "/v1/chat/completions")!.body as { messages: { content: string }[] };
    expect(sent.messages[0]!.content).toContain('Answer in the language of locale "es"');

    const samples = await scrapeSamples();
    expect(sampleValue(samples, "http_server_request_duration_count", { http_route: CHAT_ROUTE, http_request_method: "POST", http_response_status_code: "200" }, ["error_type"])).toBeGreaterThanOrEqual(1);
    // Time to first token, measured from the request at the route.
    expect(sampleValue(samples, "ocsuite_chat_time_to_first_token_count", { ocsuite_chat_action: "send" })).toBeGreaterThanOrEqual(1);
  });

  it("answers on the offline model when the workspace has no provider", async () => {
    const f = await setup({ provider: false });
    const res = await post({ action: "send", personaKey: "chro", content: "How do we keep people?" }, { cookie: f.cookie, slug: f.slug });
    const events = await ndjson(res);
    expect(events[0]).toMatchObject({ type: "start", provider: "offline", offline: true });
    expect(events.at(-1)).toMatchObject({ type: "done", message: { status: "complete", offline: true } });
  });

  it("a provider failure arrives as an error event and the question is kept", async () => {
    const f = await setup();
    mock.setBehaviour({ failWithStatus: 400 });
    const events = await ndjson(await post({ action: "send", personaKey: "cfo", content: "Keep this question" }, { cookie: f.cookie, slug: f.slug }));
    expect(events.map((e) => e.type)).toEqual(["start", "error"]);
    expect(events[1]).toMatchObject({ reason: "providerRejected", message: { status: "failed", errorReason: "providerRejected" } });
    const conversationId = (events[0]!.conversation as { id: string }).id;
    expect(await db.message.findFirst({ where: { conversationId, role: "user" } })).toMatchObject({ content: "Keep this question" });

    // …and a retry of the failed answer replaces it.
    mock.setBehaviour({ failWithStatus: null });
    const failedId = (events[1]!.message as { id: string }).id;
    const retried = await ndjson(await post({ action: "retry", conversationId, messageId: failedId }, { cookie: f.cookie, slug: f.slug }));
    expect(retried.at(-1)).toMatchObject({ type: "done", message: { status: "complete", content: REPLY } });
    expect(await db.message.count({ where: { conversationId } })).toBe(2);
  });

  /** Reads NDJSON lines until `n` deltas have arrived; returns the reader and the text so far. */
  const readDeltas = async (res: Response, n: number) => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while ((text.match(/"type":"delta"/g) ?? []).length < n) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    return { reader, text, start: JSON.parse(text.split("\n")[0]!) as { assistantMessageId: string } };
  };

  it("the client aborting the request (request.signal) stops the answer and saves the partial text as stopped", async () => {
    const f = await setup();
    mock.setBehaviour({ chunkDelayMs: 80 });
    const ctl = new AbortController();
    const res = await post({ action: "send", personaKey: "cfo", content: "Talk for a while" }, { cookie: f.cookie, slug: f.slug, signal: ctl.signal });
    const { reader, start } = await readDeltas(res, 2);
    ctl.abort();
    // The stream still ends properly, with the stopped message.
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
    }
    const last = JSON.parse(rest.trim().split("\n").at(-1)!) as { type: string; reason: string; message: { status: string; content: string } };
    expect(last).toMatchObject({ type: "error", reason: "cancelled", message: { status: "stopped" } });
    const row = await db.message.findUniqueOrThrow({ where: { id: start.assistantMessageId } });
    expect(row.status).toBe("stopped");
    expect(row.content).toBe(last.message.content);
    expect(row.content.length).toBeGreaterThan(0);
    expect(row.content.length).toBeLessThan(REPLY.length);
  });

  it("cancelling the response stream also stops the answer", async () => {
    const f = await setup();
    mock.setBehaviour({ chunkDelayMs: 80 });
    const res = await post({ action: "send", personaKey: "cfo", content: "Talk for a while" }, { cookie: f.cookie, slug: f.slug });
    const { reader, start } = await readDeltas(res, 1);
    await reader.cancel();
    let row = await db.message.findUniqueOrThrow({ where: { id: start.assistantMessageId } });
    for (let i = 0; i < 100 && row.status === "streaming"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await db.message.findUniqueOrThrow({ where: { id: start.assistantMessageId } });
    }
    expect(row.status).toBe("stopped");
    expect(row.content.length).toBeLessThan(REPLY.length);
  });
});

describe("POST /api/t/[tenantSlug]/chat: refusals are JSON errors, and write nothing", () => {
  it("401 without a session, and with a revoked one", async () => {
    const f = await setup();
    const body = { action: "send", personaKey: "cfo", content: "Hi" };
    const anon = await post(body, { slug: f.slug });
    expect(anon.status).toBe(401);
    expect(await errorOf(anon)).toMatchObject({ code: "UNAUTHORIZED", reason: "unauthenticated" });

    await db.session.delete({ where: { sessionToken: f.sessionToken } });
    const revoked = await post(body, { cookie: f.cookie, slug: f.slug });
    expect(revoked.status).toBe(401);
    expect(await conversationCount(f.tenant.id)).toBe(0);
  });

  it("403 for a cross-site Origin or Sec-Fetch-Site, before anything else", async () => {
    const f = await setup();
    const body = { action: "send", personaKey: "cfo", content: "Hi" };
    const evil = await post(body, { cookie: f.cookie, slug: f.slug, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await errorOf(evil)).toMatchObject({ code: "FORBIDDEN", reason: "crossOrigin" });
    const site = await post(body, { cookie: f.cookie, slug: f.slug, headers: { "sec-fetch-site": "cross-site" } });
    expect(site.status).toBe(403);
    expect((await post(body, { cookie: f.cookie, slug: f.slug, origin: "null" })).status).toBe(403);
    expect(await conversationCount(f.tenant.id)).toBe(0);
  });

  it("403 for a viewer (roleTooLow)", async () => {
    const f = await setup();
    const { cookie } = await cookieFor(f.viewer);
    const res = await post({ action: "send", personaKey: "cfo", content: "Hi" }, { cookie, slug: f.slug });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ reason: "roleTooLow" });
    expect(await conversationCount(f.tenant.id)).toBe(0);
  });

  it("400 for a body that is not JSON or not a valid turn", async () => {
    const f = await setup();
    const cases: unknown[] = [
      "{not json",
      { action: "send", personaKey: "cfo" },
      { action: "send", personaKey: "cfo", content: "   " },
      { action: "send", personaKey: "cfo", content: "x".repeat(20_001) },
      { action: "retry", conversationId: "c1" },
      { action: "explode" },
      // Text Postgres cannot store (NUL, a lone surrogate): refused here, not a 500 from the insert.
      { action: "send", personaKey: "cfo", content: "hello\u0000world" },
      '{"action":"send","personaKey":"cfo","content":"half \\ud83d of an emoji"}',
    ];
    for (const body of cases) {
      const res = await post(body, { cookie: f.cookie, slug: f.slug });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    }
    expect(await conversationCount(f.tenant.id)).toBe(0);
  });

  it("404 for an unknown workspace, another workspace, or another member's conversation", async () => {
    const f = await setup();
    const other = await createTenantWithMembers();
    const body = { action: "send", personaKey: "cfo", content: "Hi" };
    expect((await post(body, { cookie: f.cookie, slug: "no-such-workspace" })).status).toBe(404);
    expect((await post(body, { cookie: f.cookie, slug: other.tenant.slug })).status).toBe(404);
    expect((await post(body, { cookie: f.cookie, slug: "../etc" })).status).toBe(404);

    const mine = await ndjson(await post(body, { cookie: f.cookie, slug: f.slug }));
    const conversationId = (mine[0]!.conversation as { id: string }).id;
    const { cookie: ownerCookie } = await cookieFor(f.owner);
    const res = await post({ action: "send", conversationId, personaKey: "cfo", content: "Peek" }, { cookie: ownerCookie, slug: f.slug });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: "NOT_FOUND" });
    expect(await db.message.count({ where: { conversationId } })).toBe(2);
  });

  it("409 turnInProgress while an answer is streaming in the conversation", async () => {
    const f = await setup();
    const first = await ndjson(await post({ action: "send", personaKey: "cfo", content: "Opening" }, { cookie: f.cookie, slug: f.slug }));
    const conversationId = (first[0]!.conversation as { id: string }).id;

    mock.setBehaviour({ timeToFirstTokenMs: 600 });
    const slow = await post({ action: "send", conversationId, personaKey: "cfo", content: "Slow" }, { cookie: f.cookie, slug: f.slug });
    expect(slow.status).toBe(200);
    const again = await post({ action: "regenerate", conversationId }, { cookie: f.cookie, slug: f.slug });
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({ code: "CONFLICT", reason: "turnInProgress" });
    expect((await ndjson(slow)).at(-1)).toMatchObject({ type: "done" });
    expect(await db.message.count({ where: { conversationId } })).toBe(4);
  });

  it("412 for a disabled persona", async () => {
    const f = await setup();
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cmo", enabled: false } });
    const res = await post({ action: "send", personaKey: "cmo", content: "Hi" }, { cookie: f.cookie, slug: f.slug });
    expect(res.status).toBe(412);
    expect(await errorOf(res)).toMatchObject({ code: "PRECONDITION_FAILED", reason: "personaDisabled" });
  });

  it("413 for a body over the limit, declared or not", async () => {
    const f = await setup();
    const big = JSON.stringify({ action: "send", personaKey: "cfo", content: "x".repeat(CHAT_MAX_BODY_BYTES) });
    const res = await post(big, { cookie: f.cookie, slug: f.slug });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "payloadTooLarge" });
    expect(await conversationCount(f.tenant.id)).toBe(0);
  });

  it(`429 with Retry-After after ${workloadLimits("chat").user} requests a minute per user`, async () => {
    const f = await setup();
    for (let i = 0; i < workloadLimits("chat").user; i++) expect((await post("{}", { cookie: f.cookie, slug: f.slug })).status).toBe(400);
    const res = await post({ action: "send", personaKey: "cfo", content: "One more" }, { cookie: f.cookie, slug: f.slug });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorOf(res)).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rateLimited" });
    expect(await conversationCount(f.tenant.id)).toBe(0);
    // Another user is not affected.
    const { cookie } = await cookieFor(f.admin);
    const ok = await post({ action: "send", personaKey: "cfo", content: "Fine" }, { cookie, slug: f.slug });
    expect(ok.status).toBe(200);
    expect((await ndjson(ok)).at(-1)).toMatchObject({ type: "done" });
  });
});
