import { beforeAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import type { TRole } from "~/lib/roles";
import { excerptAround, matchesAllWords, searchWords } from "./search-terms";
import { searchWorkspace } from "./workspace-search";
import { deriveContentKeys } from "@ocsuite/crypto";
import { prefixIndex, prefixTsquery } from "~/server/db/search-index";

// A word no other test writes: every object below carries it, so a search for its prefix finds exactly them.
const WORD = `zq${uid(4)}`;
let t: TenantFixture;
let other: TenantFixture;

const seed = async (tenantId: string, userId: string, label: string) => {
  const meeting = await db.meeting.create({
    data: { tenantId, createdById: userId, title: `${label} ${WORD} pricing meeting`, goal: "Goal", agenda: ["Item"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status: "completed" },
  });
  await db.meetingOutcome.create({ data: { meetingId: meeting.id, tenantId, itemIndex: 0, decision: `Raise prices by 5% (${label} ${WORD} decision)`, positions: [] } });
  await db.actionItem.create({ data: { meetingId: meeting.id, tenantId, itemIndex: 0, ownerPersonaKey: "cfo", description: `Model the ${WORD} price change for ${label}` } });
  await db.task.create({ data: { tenantId, createdById: userId, personaKey: "cfo", title: `${label} ${WORD} forecast task`, description: "Forecast" } });
  const doc = await db.document.create({
    data: { tenantId, uploadedById: userId, title: `${label} ${WORD} handbook`, filename: "handbook.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: 10, sha256: uid(32), storageKey: "none", status: "ready", indexVersion: 1 },
  });
  await db.documentChunk.create({ data: { tenantId, documentId: doc.id, ordinal: 0, text: `The ${WORD} travel allowance is 60 EUR a day (${label}).`, charStart: 0, charEnd: 50 } });
  await db.conversation.create({ data: { tenantId, userId, personaKey: "cfo", title: `${label} ${WORD} budget chat` } });
  return { meetingId: meeting.id, documentId: doc.id };
};

let seeded: { meetingId: string; documentId: string };
beforeAll(async () => {
  t = await createTenantWithMembers();
  other = await createTenantWithMembers();
  seeded = await seed(t.tenant.id, t.member.id, "Ours");
  await seed(other.tenant.id, other.owner.id, "Theirs");
  // Another member's private conversation in the same workspace.
  await db.conversation.create({ data: { tenantId: t.tenant.id, userId: t.admin.id, personaKey: "cfo", title: `Admin private ${WORD} chat` } });
  await db.user.update({ where: { id: t.viewer.id }, data: { name: `Vera ${WORD} Viewer` } });
});

const search = (user: { id: string }, role: TRole, query: string) => searchWorkspace(tenantCtxOf(t.tenant, user, role), { query });
const kinds = (hits: { kind: string }[]) => [...new Set(hits.map((h) => h.kind))];

describe("searchWorkspace", () => {
  it("finds every kind of object by a word prefix, grouped in a fixed order", async () => {
    const { hits } = await search(t.member, "MEMBER", WORD.slice(0, 5));
    expect(kinds(hits)).toEqual(["conversation", "meeting", "decision", "actionItem", "task", "document", "member"]);
    expect(hits.find((h) => h.kind === "decision")).toMatchObject({ title: `Ours ${WORD} pricing meeting`, target: { type: "meeting", id: seeded.meetingId } });
    expect(hits.find((h) => h.kind === "member")).toMatchObject({ id: t.viewer.id, title: `Vera ${WORD} Viewer` });
  });

  it("finds passages by whole word and opens them in place, with the document as target", async () => {
    const { hits } = await search(t.viewer, "VIEWER", `${WORD} allowance`);
    const passage = hits.find((h) => h.kind === "passage");
    expect(passage).toMatchObject({ title: `Ours ${WORD} handbook`, target: { type: "document", id: seeded.documentId } });
    expect(passage?.passage?.text).toContain("travel allowance");
  });

  it("never returns another workspace's objects", async () => {
    const { hits } = await search(t.owner, "OWNER", WORD);
    expect(hits.length).toBeGreaterThan(5);
    for (const h of hits) expect(`${h.title} ${h.excerpt ?? ""} ${h.passage?.text ?? ""}`).not.toContain("Theirs");
  });

  it("returns the caller's own conversations only, to admins and owners too", async () => {
    const asOwner = await search(t.owner, "OWNER", `${WORD} chat`);
    expect(asOwner.hits.filter((h) => h.kind === "conversation")).toEqual([]);
    const asAdmin = await search(t.admin, "ADMIN", `${WORD} chat`);
    expect(asAdmin.hits.filter((h) => h.kind === "conversation").map((h) => h.title)).toEqual([`Admin private ${WORD} chat`]);
    const asMember = await search(t.member, "MEMBER", `${WORD} chat`);
    expect(asMember.hits.filter((h) => h.kind === "conversation").map((h) => h.title)).toEqual([`Ours ${WORD} budget chat`]);
  });

  it("gives viewers no conversations and no personas (chat is for members), everything else", async () => {
    await db.conversation.create({ data: { tenantId: t.tenant.id, userId: t.viewer.id, personaKey: "cfo", title: `Viewer ${WORD} chat` } });
    const { hits } = await search(t.viewer, "VIEWER", WORD);
    expect(kinds(hits)).toEqual(["meeting", "decision", "actionItem", "task", "document", "passage", "member"]);
    expect((await search(t.viewer, "VIEWER", "chief financial")).hits.filter((h) => h.kind === "persona")).toEqual([]);
  });

  it("finds personas by name or key for members, respecting a workspace's rename and disabling", async () => {
    await db.tenantPersona.create({ data: { tenantId: t.tenant.id, key: "cmo", name: `Growth ${WORD} lead` } });
    await db.tenantPersona.create({ data: { tenantId: t.tenant.id, key: "coo", enabled: false } });
    const personas = async (q: string) => (await search(t.member, "MEMBER", q)).hits.filter((h) => h.kind === "persona").map((h) => h.id);
    expect(await personas("chief fin")).toEqual(["cfo"]);
    expect(await personas("cfo")).toEqual(["cfo"]);
    expect(await personas(`growth ${WORD}`)).toEqual(["cmo"]);
    expect(await personas("operating")).toEqual([]);
  });

  it("finds nothing for an empty or punctuation-only query, and treats query syntax as text", async () => {
    expect((await search(t.member, "MEMBER", "")).hits).toEqual([]);
    expect((await search(t.member, "MEMBER", " !?& | ")).hits).toEqual([]);
    expect((await search(t.member, "MEMBER", `'${WORD}':* | !x & (`)).hits.length).toBeGreaterThan(0);
  });
});

describe("searchWorkspace over more rows than the recent window (sources.ts)", () => {
  // 520 tasks: more than RECENT_WINDOW (500), so the newest rows are tested first and a word
  // found only in older rows needs the second, GIN-index step.
  const RARE = `zr${uid(4)}`;
  const COMMON = `zc${uid(4)}`;
  let big: TenantFixture;
  beforeAll(async () => {
    big = await createTenantWithMembers();
    const start = Date.UTC(2026, 0, 1);
    await db.task.createMany({
      data: Array.from({ length: 520 }, (_, i) => ({
        tenantId: big.tenant.id,
        createdById: big.owner.id,
        personaKey: "cfo",
        // The rare word only in the two oldest tasks; the common one in every tenth.
        title: [`Task ${i}`, i < 2 ? RARE : null, i % 10 === 0 ? COMMON : null].filter(Boolean).join(" "),
        description: "d",
        createdAt: new Date(start + i * 60_000),
      })),
    });
  });
  const tasksFor = async (query: string) => (await searchWorkspace(tenantCtxOf(big.tenant, big.owner, "OWNER"), { query })).hits.filter((h) => h.kind === "task").map((h) => h.title);

  it("finds a word that only old rows hold, newest first", async () => {
    expect(await tasksFor(RARE)).toEqual([`Task 1 ${RARE}`, `Task 0 ${RARE} ${COMMON}`]);
  });

  it("gives the newest five of a common word", async () => {
    expect(await tasksFor(COMMON)).toEqual([510, 500, 490, 480, 470].map((i) => `Task ${i} ${COMMON}`));
  });

  it("finds nothing for a word nowhere", async () => {
    expect(await tasksFor(`zn${uid(4)}`)).toEqual([]);
  });
});

describe("search terms", () => {
  it("turns typed text into required word prefixes", () => {
    expect(searchWords("  Q3 Bud-get, q3 ")).toEqual(["q3", "bud", "get"]);
    // Each word becomes the blind token of that prefix (db/search-index.ts), all required.
    const keys = deriveContentKeys("t", Buffer.alloc(32, 7));
    expect(prefixTsquery(keys, ["q3", "bud"])).toMatch(/^'[\w-]{11}' & '[\w-]{11}'$/);
    expect(prefixIndex(keys, ["Q3 budget"]).split(" ")).toEqual(expect.arrayContaining(prefixTsquery(keys, ["q3", "bud"])!.split(" & ")));
    expect(prefixTsquery(keys, [])).toBeNull();
    expect(searchWords("Año fiscal")).toEqual(["año", "fiscal"]);
  });

  it("matches word starts only and cuts long text around the first match", () => {
    expect(matchesAllWords("Chief Financial Officer cfo", ["fin", "chi"])).toBe(true);
    expect(matchesAllWords("Chief Financial Officer", ["nancial"])).toBe(false);
    const text = `${"lorem ".repeat(50)}the budget line ${"ipsum ".repeat(50)}`;
    const excerpt = excerptAround(text, ["budg"], 60);
    expect(excerpt).toContain("budget");
    expect(excerpt.startsWith("…") && excerpt.endsWith("…")).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(62);
  });
});
