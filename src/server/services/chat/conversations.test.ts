import { describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, type TenantFixture } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { getBuiltInPersona, PERSONA_KEYS } from "../personas/templates";
import { deleteConversation, getConversation, listChatPersonas, listConversations, renameConversation, snippetAround, type ChatScope } from "./conversations";

const scope = (f: TenantFixture, who: "member" | "owner" = "member"): ChatScope => ({ tenantId: f.tenant.id, userId: f[who].id });

/** A conversation with messages, written directly (turns are tested in turns.test.ts). */
const seed = async (s: ChatScope, opts: { title: string; personaKey?: string; at: Date; messages?: string[] }) => {
  const c = await db.conversation.create({
    data: { tenantId: s.tenantId, userId: s.userId, personaKey: opts.personaKey ?? "cfo", title: opts.title, lastMessageAt: opts.at, inputTokens: 10, outputTokens: 20 },
  });
  for (const [i, content] of (opts.messages ?? []).entries()) {
    await db.message.create({
      data: { conversationId: c.id, tenantId: s.tenantId, role: i % 2 === 0 ? "user" : "assistant", content, status: "complete", createdAt: new Date(opts.at.getTime() + i) },
    });
  }
  return c;
};

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(err), `expected an AppError, got ${String(err)}`).toBe(true);
  return err as { code: string; reason: string };
};

describe("listConversations", () => {
  it("lists only the caller's conversations, newest first, with a keyset cursor", async () => {
    const f = await createTenantWithMembers();
    const s = scope(f);
    const base = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await seed(s, { title: `Chat ${i}`, at: new Date(base - (10 - i) * 60_000), messages: ["q", "a"] })).id);
    // Same timestamp as "Chat 1": the id breaks the tie, so nothing is skipped or repeated.
    ids.push((await seed(s, { title: "Twin", at: new Date(base - 9 * 60_000) })).id);
    await seed(scope(f, "owner"), { title: "Owner's own", at: at(0) });
    const other = await createTenantWithMembers();
    await seed({ tenantId: other.tenant.id, userId: f.member.id }, { title: "Wrong tenant", at: at(0) });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listConversations(s, { limit: 2, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
    expect(seen.slice(0, 3)).toEqual([ids[4], ids[3], ids[2]]);
    expect(new Set(seen.slice(3, 5))).toEqual(new Set([ids[1], ids[5]]));
    expect(seen[5]).toBe(ids[0]);

    const first = (await listConversations(s, { limit: 1 })).items[0]!;
    expect(first).toMatchObject({ id: ids[4], title: "Chat 4", personaKey: "cfo", inputTokens: 10, outputTokens: 20, messageCount: 2, snippet: null });
    expect(first.lastMessageAt).toBeInstanceOf(Date);
  });

  it("filters by persona", async () => {
    const f = await createTenantWithMembers();
    const s = scope(f);
    await seed(s, { title: "Money", personaKey: "cfo", at: at(3) });
    const tech = await seed(s, { title: "Tech", personaKey: "cto", at: at(2) });
    const res = await listConversations(s, { personaKey: "cto" });
    expect(res.items.map((i) => i.id)).toEqual([tech.id]);
  });

  it("searches titles and message content case-insensitively, with a snippet for content matches", async () => {
    const f = await createTenantWithMembers();
    const s = scope(f);
    const byTitle = await seed(s, { title: "Quarterly PRICING review", at: at(5), messages: ["nothing relevant"] });
    const longText = `${"Background. ".repeat(20)}We should revisit pricing for the enterprise tier before renewals.${" More context.".repeat(20)}`;
    const byContent = await seed(s, { title: "Renewals", at: at(4), messages: ["How do renewals look?", longText] });
    await seed(s, { title: "Hiring", at: at(3), messages: ["Two engineers?"] });

    const res = await listConversations(s, { query: "pricing" });
    expect(res.items.map((i) => i.id)).toEqual([byContent.id, byTitle.id]);
    const snippet = res.items[0]!.snippet!;
    expect(snippet.toLowerCase()).toContain("pricing");
    expect(snippet.length).toBeLessThanOrEqual(122);
    expect(snippet.startsWith("…")).toBe(true);
    expect(res.items[1]!.snippet).toBeNull();
  });

  it("matches words, not punctuation: title words by prefix, message words whole (both blind-indexed)", async () => {
    const f = await createTenantWithMembers();
    const s = scope(f);
    const pct = await seed(s, { title: "Growth", at: at(6), messages: ["Revenue grew 50% this year"] });
    await seed(s, { title: "Growth 2", at: at(5), messages: ["Revenue grew 500 this year"] });
    const under = await seed(s, { title: "var a_b", at: at(4) });
    const slash = await seed(s, { title: "path C:\\data", at: at(2) });

    expect((await listConversations(s, { query: "50%" })).items.map((i) => i.id)).toEqual([pct.id]);
    expect((await listConversations(s, { query: "500" })).items.map((i) => i.id)).not.toContain(pct.id);
    expect((await listConversations(s, { query: "a_b" })).items.map((i) => i.id)).toEqual([under.id]);
    expect((await listConversations(s, { query: "C:\\d" })).items.map((i) => i.id)).toEqual([slash.id]);
    expect((await listConversations(s, { query: "gro" })).items).toHaveLength(2);
    // Punctuation alone is no word: nothing matches.
    expect((await listConversations(s, { query: "%" })).items).toEqual([]);
  });

  it("refuses a tampered cursor as BAD_REQUEST", async () => {
    const f = await createTenantWithMembers();
    expect(await refusal(listConversations(scope(f), { cursor: "not-a-cursor" }))).toMatchObject({ code: "BAD_REQUEST", reason: "invalidCursor" });
  });
});

describe("get, rename, delete", () => {
  it("returns the conversation with its messages in order and the persona's customised name", async () => {
    const f = await createTenantWithMembers();
    const s = scope(f);
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cfo", name: "Head of Money" } });
    const c = await seed(s, { title: "Cash", at: at(1), messages: ["one", "two", "three"] });
    const res = await getConversation(s, { id: c.id });
    expect(res.conversation).toMatchObject({ id: c.id, title: "Cash", personaKey: "cfo", personaName: "Head of Money", inputTokens: 10, outputTokens: 20 });
    expect(res.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ["user", "one", "complete"],
      ["assistant", "two", "complete"],
      ["user", "three", "complete"],
    ]);
  });

  it("renames and deletes (messages cascade); another member's conversation is NOT_FOUND", async () => {
    const f = await createTenantWithMembers();
    const s = scope(f);
    const c = await seed(s, { title: "Old", at: at(1), messages: ["q", "a"] });
    const owner = scope(f, "owner");
    expect(await refusal(getConversation(owner, { id: c.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(renameConversation(owner, { id: c.id, title: "Hijack" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(deleteConversation(owner, { id: c.id }))).toMatchObject({ code: "NOT_FOUND" });

    expect(await renameConversation(s, { id: c.id, title: "  New title  " })).toEqual({ id: c.id, title: "New title" });
    expect((await db.conversation.findUniqueOrThrow({ where: { id: c.id } })).title).toBe("New title");
    await expect(renameConversation(s, { id: c.id, title: "   " })).rejects.toThrow();

    expect(await deleteConversation(s, { id: c.id })).toEqual({ id: c.id });
    expect(await db.message.count({ where: { conversationId: c.id } })).toBe(0);
    expect(await refusal(getConversation(s, { id: c.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("listChatPersonas", () => {
  it("lists enabled personas in built-in order with customised names and their model", async () => {
    const f = await createTenantWithMembers();
    await db.tenantPersona.createMany({
      data: [
        { tenantId: f.tenant.id, key: "cmo", enabled: false },
        { tenantId: f.tenant.id, key: "ceo", name: "Founder" },
      ],
    });
    const { personas } = await listChatPersonas(scope(f));
    expect(personas.map((p) => p.key)).toEqual(PERSONA_KEYS.filter((k) => k !== "cmo"));
    expect(personas[0]).toMatchObject({ key: "ceo", name: "Founder", mandate: getBuiltInPersona("ceo").mandate, offline: true, provider: "offline", model: "ocsuite-offline-1" });
  });
});

describe("chat router (tRPC)", () => {
  it("serves list, get, rename and delete to members and hides others' conversations", async () => {
    const f = await createTenantWithMembers();
    const c = await seed(scope(f), { title: "Via tRPC", at: at(1), messages: ["q"] });
    const api = callerFor(f.member);
    const slug = f.tenant.slug;
    expect((await api.chat.list({ tenantSlug: slug, query: "tRPC" })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await api.chat.get({ tenantSlug: slug, id: c.id })).messages).toHaveLength(1);
    expect(await api.chat.rename({ tenantSlug: slug, id: c.id, title: "Renamed" })).toEqual({ id: c.id, title: "Renamed" });

    const stranger = await createUser();
    await addMember(f.tenant.id, stranger.id, "ADMIN");
    await expect(callerFor(stranger).chat.get({ tenantSlug: slug, id: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(stranger).chat.list({ tenantSlug: slug })).items).toEqual([]);
    await expect(api.chat.list({ tenantSlug: slug, query: "x".repeat(201) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.chat.list({ tenantSlug: slug, limit: 51 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(f.viewer).chat.list({ tenantSlug: slug })).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(await api.chat.delete({ tenantSlug: slug, id: c.id })).toEqual({ id: c.id });
  });
});

describe("snippetAround", () => {
  it("returns short content whole and centres long content on the match", () => {
    expect(snippetAround("short  text\nhere", "text")).toBe("short text here");
    const long = `${"a ".repeat(100)}NEEDLE${" b".repeat(100)}`;
    const s = snippetAround(long, "needle");
    expect(s).toContain("NEEDLE");
    expect(s.startsWith("…") && s.endsWith("…")).toBe(true);
  });
});
