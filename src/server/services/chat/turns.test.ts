import { describe, expect, it } from "vitest";
import { createTenantWithMembers } from "../../../../prisma/factories";
import { wordChunks } from "../../../../tests/support/mock-openai-server";
import { metricValue } from "../../../../tests/support/prometheus-text";
import { db } from "~/server/db/client";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";
import { buildHistory } from "./prepare-turn";
import { MAX_HISTORY_MESSAGES, STREAMING_STALE_MS, type ChatTurn, type ChatTurnEvent } from "./turn-input";
import { startChatTurn } from "./turns";
import { completions, ctxOf, drain, FAST, KEY, messagesOf, mock, providerTenant, refusal, REPLY, run, sentMessages, withMockOpenAI } from "./turn-test-kit";

// Turns against a real database: the offline model (no credential) and a real
// OpenAI-compatible HTTP server (tests/support/mock-openai-server.ts) reached
// through a real encrypted credential → decrypt → gateway path.

withMockOpenAI();

describe("send on the offline model", () => {
  it("persists the question and the answer with tokens, and the conversation totals add up", async () => {
    const f = await createTenantWithMembers();
    const ctx = ctxOf(f);
    const first = await run(ctx, { action: "send", personaKey: "cfo", content: "  Can we afford two engineers?\nDetails follow.  " });

    const types = first.events.map((e) => e.type);
    expect(types[0]).toBe("start");
    expect(types.at(-1)).toBe("done");
    expect(types.filter((t) => t === "delta").length).toBeGreaterThan(1);
    const start = first.events[0] as Extract<ChatTurnEvent, { type: "start" }>;
    expect(start).toMatchObject({ provider: "offline", model: OFFLINE_MODEL_ID, offline: true, conversation: { title: "Can we afford two engineers?", personaKey: "cfo" } });
    expect(start.userMessage).toMatchObject({ role: "user", status: "complete", content: "Can we afford two engineers?\nDetails follow." });

    const done = first.events.at(-1) as Extract<ChatTurnEvent, { type: "done" }>;
    const streamed = first.events.flatMap((e) => (e.type === "delta" ? [e.text] : [])).join("");
    expect(done.message).toMatchObject({ id: start.assistantMessageId, role: "assistant", status: "complete", content: streamed, offline: true, provider: "offline", model: OFFLINE_MODEL_ID });
    expect(done.message.inputTokens).toBeGreaterThan(0);
    expect(done.message.outputTokens).toBeGreaterThan(0);
    expect(done.message.timeToFirstTokenMs).not.toBeNull();
    expect(done.conversation).toEqual({ inputTokens: done.message.inputTokens, outputTokens: done.message.outputTokens });

    const conversationId = start.conversation.id;
    const second = await run(ctx, { action: "send", conversationId, personaKey: "cfo", content: "And a third?" });
    const done2 = second.events.at(-1) as Extract<ChatTurnEvent, { type: "done" }>;

    const rows = await messagesOf(conversationId);
    expect(rows.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    const conv = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const sum = (k: "inputTokens" | "outputTokens") => rows.reduce((s, m) => s + (m[k] ?? 0), 0);
    expect(conv.inputTokens).toBe(sum("inputTokens"));
    expect(conv.outputTokens).toBe(sum("outputTokens"));
    expect(done2.conversation).toEqual({ inputTokens: conv.inputTokens, outputTokens: conv.outputTokens });
    expect(conv.userId).toBe(f.member.id);
    expect(conv.lastMessageAt.getTime()).toBeGreaterThanOrEqual(rows[3]!.createdAt.getTime());

    // Every call is recorded against the conversation, linked from its message.
    const calls = await db.llmCall.findMany({ where: { conversationId }, orderBy: { createdAt: "asc" } });
    expect(calls.map((c) => c.id)).toEqual([rows[1]!.llmCallId, rows[3]!.llmCallId]);
    expect(calls.every((c) => c.status === "ok" && c.userId === f.member.id && c.personaKey === "cfo")).toBe(true);
  });

  it("counts finished turns by outcome", async () => {
    const f = await createTenantWithMembers();
    const before = await metricValue("ocsuite_chat_turns_total", { ocsuite_chat_action: "send", ocsuite_outcome: "complete" }, ["error_type"]);
    await run(ctxOf(f), { action: "send", personaKey: "coo", content: "What slows our delivery?" });
    const after = await metricValue("ocsuite_chat_turns_total", { ocsuite_chat_action: "send", ocsuite_outcome: "complete" }, ["error_type"]);
    expect(after).toBe(before + 1);
  });

  it("an unknown persona is NOT_FOUND and a disabled one PRECONDITION_FAILED, with nothing written", async () => {
    const f = await createTenantWithMembers();
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cmo", enabled: false } });
    expect(await refusal(startChatTurn(ctxOf(f), { action: "send", personaKey: "cio", content: "Hello" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(startChatTurn(ctxOf(f), { action: "send", personaKey: "cmo", content: "Hello" }))).toMatchObject({ code: "PRECONDITION_FAILED", reason: "personaDisabled" });
    expect(await db.conversation.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("rejects blank or oversized content as BAD_REQUEST", async () => {
    const f = await createTenantWithMembers();
    expect(await refusal(startChatTurn(ctxOf(f), { action: "send", personaKey: "cfo", content: "   \n " }))).toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    expect(await refusal(startChatTurn(ctxOf(f), { action: "send", personaKey: "cfo", content: "x".repeat(20_001) }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.conversation.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("another member's conversation is NOT_FOUND, even for an owner", async () => {
    const f = await createTenantWithMembers();
    const { events } = await run(ctxOf(f, "member"), { action: "send", personaKey: "cfo", content: "Private question" });
    const id = (events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;
    expect(await refusal(startChatTurn(ctxOf(f, "owner"), { action: "send", conversationId: id, personaKey: "cfo", content: "Hi" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(startChatTurn(ctxOf(f, "owner"), { action: "regenerate", conversationId: id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await messagesOf(id)).toHaveLength(2);
  });
});

describe("turns through a provider credential (mock OpenAI server)", () => {
  it("sends the persona prompt, the user's locale and the history of complete messages", async () => {
    const f = await providerTenant();
    await db.user.update({ where: { id: f.member.id }, data: { locale: "es" } });
    const ctx = ctxOf(f);
    const a = await run(ctx, { action: "send", personaKey: "cfo", content: "First question" });
    const id = (a.events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;
    expect(a.outcome.message).toMatchObject({ status: "complete", content: REPLY, provider: "openai-compatible", model: "mock-model", offline: false, inputTokens: 11, outputTokens: 7 });

    // A failed answer is skipped in the history the model sees.
    mock.setBehaviour({ failWithStatus: 400 });
    const b = await run(ctx, { action: "send", conversationId: id, personaKey: "cfo", content: "Second question" });
    expect(b.outcome).toMatchObject({ status: "failed", reason: "providerRejected" });

    mock.setBehaviour({ failWithStatus: null });
    await run(ctx, { action: "send", conversationId: id, personaKey: "cfo", content: "Third question" }, { locale: "en" });
    const sent = sentMessages(2);
    expect(sent[0]!.role).toBe("system");
    expect(sent[0]!.content).toContain('Answer in the language of locale "en"');
    expect(sent.slice(1)).toEqual([
      { role: "user", content: "First question" },
      { role: "assistant", content: REPLY },
      { role: "user", content: "Second question" },
      { role: "user", content: "Third question" },
    ]);
    // Without an explicit locale the user's saved one is used.
    expect(sentMessages(0)[0]!.content).toContain('Answer in the language of locale "es"');
    expect(completions()[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("a failure before the first token (401) saves the answer as failed, keeps the question and audits the key", async () => {
    const f = await providerTenant();
    mock.setBehaviour({ failWithStatus: 401 });
    const { events, outcome } = await run(ctxOf(f), { action: "send", personaKey: "cto", content: "Should we rewrite the API?" });
    expect(events.map((e) => e.type)).toEqual(["start", "error"]);
    expect(events[1]).toMatchObject({ type: "error", reason: "providerAuthFailed", message: { status: "failed", errorReason: "providerAuthFailed", content: "" } });
    expect(outcome.status).toBe("failed");
    const rows = await messagesOf((events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id);
    expect(rows.map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", "Should we rewrite the API?"],
      ["assistant", "failed", ""],
    ]);
    const audit = await db.auditEvent.findFirst({ where: { tenantId: f.tenant.id, action: "provider_credential.use_failed", targetId: f.credentialId } });
    expect(audit).toMatchObject({ result: "FAILURE", actorId: f.member.id });
  });

  it("a provider that keeps answering 500 fails as providerUnavailable after the retries", async () => {
    const f = await providerTenant();
    mock.setBehaviour({ fail500: true });
    const { outcome } = await run(ctxOf(f), { action: "send", personaKey: "cto", content: "Status?" });
    expect(outcome).toMatchObject({ status: "failed", reason: "providerUnavailable", message: { status: "failed", errorReason: "providerUnavailable" } });
    expect(completions()).toHaveLength(3);
  });

  it("a mid-stream failure saves the partial text as failed (streamInterrupted)", async () => {
    const f = await providerTenant();
    mock.setBehaviour({ dropAfterChunks: 3, chunkDelayMs: 5 });
    const { events, outcome } = await run(ctxOf(f), { action: "send", personaKey: "cfo", content: "Budget?" });
    const partial = wordChunks(REPLY).slice(0, 3).join("");
    expect(events.filter((e) => e.type === "delta").map((e) => (e as { text: string }).text).join("")).toBe(partial);
    expect(outcome).toMatchObject({ status: "failed", reason: "streamInterrupted", message: { status: "failed", errorReason: "streamInterrupted", content: partial } });
    const row = await db.message.findUniqueOrThrow({ where: { id: outcome.message.id } });
    expect(row).toMatchObject({ status: "failed", content: partial });
  });

  it("aborting (the user pressed stop) saves the partial answer as stopped", async () => {
    const f = await providerTenant();
    mock.setBehaviour({ chunkDelayMs: 60 });
    const stop = new AbortController();
    const turn = await startChatTurn(ctxOf(f), { action: "send", personaKey: "cfo", content: "Long answer please" }, { signal: stop.signal, gateway: FAST });
    const events: ChatTurnEvent[] = [];
    for await (const e of turn.events) {
      events.push(e);
      if (events.filter((x) => x.type === "delta").length === 2) stop.abort();
    }
    const outcome = await turn.finished;
    const streamed = events.flatMap((e) => (e.type === "delta" ? [e.text] : [])).join("");
    expect(events.at(-1)).toMatchObject({ type: "error", reason: "cancelled", message: { status: "stopped", errorReason: null } });
    expect(outcome.status).toBe("stopped");
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.length).toBeLessThan(REPLY.length);
    const row = await db.message.findUniqueOrThrow({ where: { id: outcome.message.id } });
    expect(row).toMatchObject({ status: "stopped", content: streamed });
    expect(await db.llmCall.findFirst({ where: { conversationId: row.conversationId } })).toMatchObject({ status: "cancelled" });
  });

  it("retry replaces the failed answer; only the last failed or stopped answer can be retried", async () => {
    const f = await providerTenant();
    const ctx = ctxOf(f);
    mock.setBehaviour({ failWithStatus: 503 });
    const failed = await run(ctx, { action: "send", personaKey: "cfo", content: "Cash position?" });
    const conversationId = (failed.events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;
    const failedId = failed.outcome.message.id;

    mock.setBehaviour({ failWithStatus: null });
    const retried = await run(ctx, { action: "retry", conversationId, messageId: failedId });
    const start = retried.events[0] as Extract<ChatTurnEvent, { type: "start" }>;
    expect(start.userMessage.content).toBe("Cash position?");
    expect(retried.outcome.message).toMatchObject({ status: "complete", content: REPLY });
    const rows = await messagesOf(conversationId);
    expect(rows.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(rows.some((m) => m.id === failedId)).toBe(false);
    expect(sentMessages(completions().length - 1).slice(1)).toEqual([{ role: "user", content: "Cash position?" }]);

    // A complete answer is not retried; an unknown message is NOT_FOUND.
    expect(await refusal(startChatTurn(ctx, { action: "retry", conversationId, messageId: rows[1]!.id }))).toMatchObject({ code: "CONFLICT", reason: "messageNotRetryable" });
    expect(await refusal(startChatTurn(ctx, { action: "retry", conversationId, messageId: "no-such-message" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await messagesOf(conversationId)).toHaveLength(2);
  });

  it("regenerate replaces the last answer with a new one to the same question", async () => {
    const f = await providerTenant();
    const ctx = ctxOf(f);
    const first = await run(ctx, { action: "send", personaKey: "cmo", content: "Brand or performance?" });
    const conversationId = (first.events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;
    await run(ctx, { action: "send", conversationId, personaKey: "cmo", content: "And for Q3?" });
    const before = await messagesOf(conversationId);

    mock.setBehaviour({ reply: "A different take entirely." });
    const regen = await run(ctx, { action: "regenerate", conversationId });
    expect(regen.outcome.message).toMatchObject({ status: "complete", content: "A different take entirely." });
    const after = await messagesOf(conversationId);
    expect(after.map((m) => m.content)).toEqual([before[0]!.content, before[1]!.content, "And for Q3?", "A different take entirely."]);
    expect(after.some((m) => m.id === before[3]!.id)).toBe(false);
    expect(sentMessages(completions().length - 1).slice(1)).toEqual([
      { role: "user", content: "Brand or performance?" },
      { role: "assistant", content: REPLY },
      { role: "user", content: "And for Q3?" },
    ]);
    // Tokens of the replaced answer were spent: the totals keep them.
    const conv = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conv.inputTokens).toBe(33);
    expect(conv.outputTokens).toBe(21);
  });
});

describe("one turn at a time per conversation", () => {
  it("refuses a second turn while one is streaming (turnInProgress), writing nothing", async () => {
    const f = await providerTenant();
    const ctx = ctxOf(f);
    const first = await run(ctx, { action: "send", personaKey: "cfo", content: "Opening" });
    const conversationId = (first.events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;

    mock.setBehaviour({ timeToFirstTokenMs: 400 });
    const slow = await startChatTurn(ctx, { action: "send", conversationId, personaKey: "cfo", content: "Slow one" }, { gateway: FAST });
    const count = (await messagesOf(conversationId)).length;
    for (const input of [
      { action: "send", conversationId, personaKey: "cfo", content: "Impatient" },
      { action: "regenerate", conversationId },
    ] as const) {
      expect(await refusal(startChatTurn(ctx, input))).toMatchObject({ code: "CONFLICT", reason: "turnInProgress" });
    }
    expect(await messagesOf(conversationId)).toHaveLength(count);
    await drain(slow);
    expect((await slow.finished).status).toBe("complete");
    // Once it is over, the next turn goes through.
    const next = await run(ctx, { action: "send", conversationId, personaKey: "cfo", content: "Now" });
    expect(next.outcome.status).toBe("complete");
  });

  it("of two simultaneous requests exactly one starts", async () => {
    const f = await providerTenant();
    const ctx = ctxOf(f);
    const first = await run(ctx, { action: "send", personaKey: "cfo", content: "Opening" });
    const conversationId = (first.events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;
    mock.setBehaviour({ timeToFirstTokenMs: 300 });
    const results = await Promise.allSettled([1, 2, 3].map((n) => startChatTurn(ctx, { action: "send", conversationId, personaKey: "cfo", content: `Race ${n}` }, { gateway: FAST })));
    const started = results.filter((r): r is PromiseFulfilledResult<ChatTurn> => r.status === "fulfilled");
    expect(started).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT", reason: "turnInProgress" });
    await drain(started[0]!.value);
    expect((await messagesOf(conversationId)).filter((m) => m.role === "user")).toHaveLength(2);
  });

  it("a stale streaming row (a crashed server) does not block: it is failed and the turn proceeds", async () => {
    const f = await createTenantWithMembers();
    const ctx = ctxOf(f);
    const first = await run(ctx, { action: "send", personaKey: "cfo", content: "Opening" });
    const conversationId = (first.events[0] as Extract<ChatTurnEvent, { type: "start" }>).conversation.id;
    const orphan = await db.message.create({
      data: { conversationId, tenantId: f.tenant.id, role: "assistant", content: "half an ans", status: "streaming", createdAt: new Date(Date.now() - STREAMING_STALE_MS - 60_000) },
    });
    await db.$executeRaw`UPDATE "Message" SET "updatedAt" = ${new Date(Date.now() - STREAMING_STALE_MS - 1000)} WHERE "id" = ${orphan.id}`;
    const next = await run(ctx, { action: "send", conversationId, personaKey: "cfo", content: "Still there?" });
    expect(next.outcome.status).toBe("complete");
    expect(await db.message.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ status: "failed", errorReason: "streamInterrupted", content: "half an ans" });
  });
});

describe("history budget", () => {
  it("keeps the newest messages within the limits, skips failed answers and starts with a user message", () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", status: i === 57 ? "failed" : "complete", content: `m${i}` }));
    const h = buildHistory(rows);
    expect(h.length).toBeLessThanOrEqual(MAX_HISTORY_MESSAGES);
    expect(h[0]!.role).toBe("user");
    expect(h.at(-1)).toEqual({ role: "assistant", content: "m59" });
    expect(h.some((m) => m.content === "m57")).toBe(false);

    const big = [
      { role: "user", status: "complete", content: "a".repeat(40_000) },
      { role: "assistant", status: "complete", content: "b".repeat(30_000) },
      { role: "user", status: "complete", content: "c".repeat(20_000) },
    ];
    expect(buildHistory(big).map((m) => m.content[0])).toEqual(["c"]);
  });
});
