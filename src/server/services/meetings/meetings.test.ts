/**
 * Meetings through the real tRPC router (in-process caller) on the test
 * database: input rules with their reasons, tenant scoping, roles, an
 * unreachable engine, the minutes export, and the chair-outcome parsing and
 * derivation rules. The run itself is tested in inngest/jobs/run-meeting.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExecutor } from "../../../../inngest/local/testing/harness";
import { createTenantWithMembers, type TenantFixture } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { deriveOutcome, derivePosition, parseChairOutcome } from "./outcome";
import { slugify } from "./minutes";

let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  // An engine that serves no app here: events are accepted and stored, nothing runs, so states stay put.
  exec = await startExecutor({ db });
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
});

const VALID = {
  title: "Board review",
  goal: "Decide the plan for next quarter.",
  agenda: ["Budget", "Hiring"],
  personaKeys: ["ceo", "cfo", "cto"],
  chairKey: "ceo",
  rounds: 2,
};

const setup = async () => {
  const f = await createTenantWithMembers();
  return { ...f, slug: f.tenant.slug, asMember: callerFor(f.member), asViewer: callerFor(f.viewer) };
};

type ReasonError = { code: string; cause?: { reason?: string }; shape?: { data?: { reason?: string } } };
const reasonOf = async (p: Promise<unknown>) => {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as ReasonError | null;
  if (!err) throw new Error("expected a refusal");
  return { code: err.code, reason: err.cause?.reason ?? (err.cause && "issues" in err.cause ? "invalidInput" : undefined) };
};

const meetingEvents = (meetingId: string) => db.inngestEvent.findMany({ where: { name: { startsWith: "meeting/" }, payload: { path: ["data", "meetingId"], equals: meetingId } }, orderBy: { receivedAt: "asc" } });

describe("meeting.create", () => {
  it("creates a queued meeting and sends meeting/run.requested with its run version", async () => {
    const f = await setup();
    const { id } = await f.asMember.meeting.create({ tenantSlug: f.slug, ...VALID });
    const row = await db.meeting.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ tenantId: f.tenant.id, createdById: f.member.id, status: "queued", runVersion: 1, agenda: VALID.agenda, personaKeys: VALID.personaKeys, chairKey: "ceo", rounds: 2 });
    const events = await meetingEvents(id);
    expect(events.map((e) => [e.name, (e.payload as { data: object }).data])).toEqual([["meeting/run.requested", expect.objectContaining({ tenantId: f.tenant.id, meetingId: id, runVersion: 1 })]]);
    const list = await f.asViewer.meeting.list({ tenantSlug: f.slug });
    expect(list.items).toEqual([expect.objectContaining({ id, title: "Board review", status: "queued", itemCount: 2, turnCount: 0, totalTurns: 12 })]);
  });

  it.each([
    ["no personas", { personaKeys: [], chairKey: "ceo" }, "meetingNoPersonas"],
    ["an empty agenda", { agenda: [] }, "meetingEmptyAgenda"],
    ["a blank agenda item", { agenda: ["Budget", "   "] }, "meetingEmptyAgenda"],
    ["11 agenda items", { agenda: Array.from({ length: 11 }, (_, i) => `Item ${i}`) }, "meetingTooManyAgendaItems"],
    ["4 rounds", { rounds: 4 }, "meetingTooManyRounds"],
    ["a chair who is not a participant", { chairKey: "coo" }, "meetingChairNotParticipant"],
    ["a persona listed twice", { personaKeys: ["ceo", "cfo", "ceo"] }, "meetingDuplicatePersona"],
    ["an unknown persona", { personaKeys: ["ceo", "cfo", "chief-wizard"] }, "meetingPersonaUnavailable"],
    ["0 rounds", { rounds: 0 }, "invalidInput"],
    ["a title of 121 characters", { title: "x".repeat(121) }, "invalidInput"],
    ["an agenda item of 501 characters", { agenda: ["y".repeat(501)] }, "invalidInput"],
  ])("rejects %s with BAD_REQUEST %s and stores nothing", async (_label, patch, reason) => {
    const f = await setup();
    expect(await reasonOf(f.asMember.meeting.create({ tenantSlug: f.slug, ...VALID, ...patch }))).toEqual({ code: "BAD_REQUEST", reason });
    expect(await db.meeting.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("rejects a persona disabled in this workspace (and accepts it in another workspace)", async () => {
    const f = await setup();
    const other = await setup();
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cto", enabled: false } });
    expect(await reasonOf(f.asMember.meeting.create({ tenantSlug: f.slug, ...VALID }))).toEqual({ code: "BAD_REQUEST", reason: "meetingPersonaUnavailable" });
    await expect(other.asMember.meeting.create({ tenantSlug: other.slug, ...VALID })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("is for members: a viewer is refused", async () => {
    const f = await setup();
    expect(await reasonOf(f.asViewer.meeting.create({ tenantSlug: f.slug, ...VALID }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await db.meeting.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("marks the meeting failed (jobsUnavailable) when the engine is unreachable, so it can be resumed later", async () => {
    const f = await setup();
    inngest.setEnvVars({ INNGEST_DEV: "http://127.0.0.1:9" }); // nothing listens on the discard port
    try {
      expect(await reasonOf(f.asMember.meeting.create({ tenantSlug: f.slug, ...VALID }))).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "jobsUnavailable" });
    } finally {
      inngest.setEnvVars({ INNGEST_DEV: exec.url });
    }
    const row = await db.meeting.findFirstOrThrow({ where: { tenantId: f.tenant.id } });
    expect(row).toMatchObject({ status: "failed", errorReason: "jobsUnavailable" });
    await expect(f.asMember.meeting.resume({ tenantSlug: f.slug, id: row.id })).resolves.toEqual({ id: row.id, status: "queued" });
    expect(await db.meeting.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "queued", runVersion: 2, errorReason: null });
  });
});

describe("tenant scoping", () => {
  it("another tenant's meeting is NOT_FOUND for get, minutes, cancel and resume", async () => {
    const a = await setup();
    const b = await setup();
    const { id } = await a.asMember.meeting.create({ tenantSlug: a.slug, ...VALID });
    for (const call of [
      () => b.asMember.meeting.get({ tenantSlug: b.slug, id }),
      () => b.asMember.meeting.minutes({ tenantSlug: b.slug, id }),
      () => b.asMember.meeting.cancel({ tenantSlug: b.slug, id }),
      () => b.asMember.meeting.resume({ tenantSlug: b.slug, id }),
    ]) {
      expect(await reasonOf(call())).toEqual({ code: "NOT_FOUND", reason: "notFound" });
    }
    expect((await b.asMember.meeting.list({ tenantSlug: b.slug })).items).toEqual([]);
    expect(await db.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", runVersion: 1 });
  });
});

describe("cancel and resume", () => {
  it("cancel: queued → cancelled and meeting/cancel.requested sent; resume: cancelled → queued with a new run version", async () => {
    const f = await setup();
    const { id } = await f.asMember.meeting.create({ tenantSlug: f.slug, ...VALID });
    expect(await reasonOf(f.asMember.meeting.resume({ tenantSlug: f.slug, id }))).toEqual({ code: "CONFLICT", reason: "meetingNotResumable" });
    expect(await reasonOf(f.asViewer.meeting.cancel({ tenantSlug: f.slug, id }))).toMatchObject({ code: "FORBIDDEN" });
    await expect(f.asMember.meeting.cancel({ tenantSlug: f.slug, id })).resolves.toEqual({ id, status: "cancelled" });
    expect(await reasonOf(f.asMember.meeting.cancel({ tenantSlug: f.slug, id }))).toEqual({ code: "CONFLICT", reason: "meetingNotCancellable" });
    await expect(f.asMember.meeting.resume({ tenantSlug: f.slug, id })).resolves.toEqual({ id, status: "queued" });
    const events = await meetingEvents(id);
    expect(events.map((e) => `${e.name}:${(e.payload as { data: { runVersion?: number } }).data.runVersion ?? "-"}`)).toEqual([
      "meeting/run.requested:1",
      "meeting/cancel.requested:-",
      "meeting/run.requested:2",
    ]);
  });
});

/** A finished meeting as the run leaves it: turns, one derived and one chair-written outcome, action items. */
const seedFinished = async (f: TenantFixture) => {
  const m = await db.meeting.create({
    data: {
      tenantId: f.tenant.id,
      createdById: f.member.id,
      title: "Q3 Board: Pricing & Hiring!",
      goal: "Agree pricing and the hiring plan.",
      agenda: ["Premium tier pricing", "Hiring plan"],
      personaKeys: ["ceo", "cfo"],
      chairKey: "ceo",
      rounds: 2,
      status: "completed",
      inputTokens: 420,
      outputTokens: 210,
      startedAt: new Date("2026-03-04T10:00:00Z"),
      finishedAt: new Date("2026-03-04T10:05:00Z"),
    },
  });
  const turn = (itemIndex: number, round: number, personaKey: string, content: string) => ({
    meetingId: m.id,
    tenantId: f.tenant.id,
    itemIndex,
    round,
    personaKey,
    content,
    provider: "openai",
    model: "gpt-4o-mini",
    offline: false,
    inputTokens: 10,
    outputTokens: 5,
    durationMs: 800,
  });
  await db.meetingTurn.createMany({
    data: [
      turn(0, 2, "cfo", "CFO round two: I still oppose the discount."),
      turn(0, 1, "ceo", "CEO round one: we price at 39 euros."),
      turn(0, 1, "cfo", "CFO round one: margins | matter."),
      turn(0, 2, "ceo", "CEO round two: decided, 39 euros with no discount."),
      turn(1, 1, "ceo", "CEO on hiring."),
      turn(1, 1, "cfo", "CFO on hiring."),
      turn(1, 2, "ceo", "CEO on hiring again."),
      turn(1, 2, "cfo", "CFO on hiring again."),
    ],
  });
  await db.meetingOutcome.create({
    data: {
      meetingId: m.id,
      tenantId: f.tenant.id,
      itemIndex: 0,
      decision: "Price the premium tier at 39 euros per seat.",
      positions: [
        { personaKey: "ceo", stance: "support", rationale: "Simple and competitive." },
        { personaKey: "cfo", stance: "oppose", rationale: "Margins are thin | watch churn." },
      ],
      dissent: "The CFO fears thin margins.",
    },
  });
  await db.meetingOutcome.create({
    data: {
      meetingId: m.id,
      tenantId: f.tenant.id,
      itemIndex: 1,
      decision: "Hire two support engineers.",
      positions: [
        { personaKey: "ceo", stance: "support", rationale: "CEO on hiring.", derived: true },
        { personaKey: "cfo", stance: "abstain", rationale: "CFO on hiring.", derived: true },
      ],
    },
  });
  await db.actionItem.create({ data: { meetingId: m.id, tenantId: f.tenant.id, itemIndex: 0, ownerPersonaKey: "cfo", description: "Model churn at 39 euros.", dueDate: new Date("2026-03-14T00:00:00Z") } });
  return m;
};

describe("meeting.get and meeting.minutes", () => {
  it("get: turns in speaking order, outcomes with their derived flag, action items, progress", async () => {
    const f = await setup();
    const m = await seedFinished(f);
    const d = await f.asViewer.meeting.get({ tenantSlug: f.slug, id: m.id });
    expect(d.turns.map((t) => `${t.itemIndex}.${t.round}.${t.personaKey}`)).toEqual(["0.1.ceo", "0.1.cfo", "0.2.ceo", "0.2.cfo", "1.1.ceo", "1.1.cfo", "1.2.ceo", "1.2.cfo"]);
    expect(d.personas).toEqual([
      { key: "ceo", name: "Chief Executive Officer" },
      { key: "cfo", name: "Chief Financial Officer" },
    ]);
    expect(d.outcomes.map((o) => o.derived)).toEqual([false, true]);
    expect(d.actionItems).toEqual([expect.objectContaining({ ownerPersonaKey: "cfo", description: "Model churn at 39 euros.", taskId: null })]);
    expect(d.progress).toEqual({ done: 10, total: 10 });
  });

  it("minutes: a Markdown document with title, goal, date, participants, discussion by round, decision, positions, dissent and action items", async () => {
    const f = await setup();
    const m = await seedFinished(f);
    const { markdown, filename } = await f.asViewer.meeting.minutes({ tenantSlug: f.slug, id: m.id });
    expect(filename).toBe("q3-board-pricing-hiring-minutes.md");
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("# Q3 Board: Pricing & Hiring!");
    expect(markdown).toContain("**Goal:** Agree pricing and the hiring plan.");
    expect(markdown).toContain("**Date:** 2026-03-04");
    expect(markdown).toContain("**Participants:** Chief Executive Officer (chair), Chief Financial Officer");
    expect(markdown).toContain("## 1. Premium tier pricing");
    expect(markdown).toContain("## 2. Hiring plan");
    // Discussion by round, in speaking order.
    const item1 = markdown.slice(markdown.indexOf("## 1."), markdown.indexOf("## 2."));
    const order = ["#### Round 1", "CEO round one", "CFO round one", "#### Round 2", "CEO round two", "CFO round two"].map((s) => item1.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(item1).toContain("### Decision\n\nPrice the premium tier at 39 euros per seat.");
    expect(item1).toContain("| Persona | Position | Rationale |");
    expect(item1).toContain("| Chief Financial Officer | Oppose | Margins are thin \\| watch churn. |");
    expect(item1).toContain("### Dissent\n\nThe CFO fears thin margins.");
    expect(item1).toContain("- [ ] **Chief Financial Officer** — Model churn at 39 euros. (due 2026-03-14)");
    expect(item1).not.toContain("Derived from the discussion");
    const item2 = markdown.slice(markdown.indexOf("## 2."));
    expect(item2).toContain("_Derived from the discussion");
    expect(item2).toContain("| Chief Financial Officer | Abstain | CFO on hiring. |");
    expect(item2).toContain("### Dissent\n\nNone recorded.");
    expect(item2).toContain("### Action items\n\nNone.");
    expect(markdown).toContain("Tokens: 420 in, 210 out.");
  });

  it("slugify keeps filenames safe and never empty", () => {
    expect(slugify("Año nuevo: ¿plan?")).toBe("ano-nuevo-plan");
    expect(slugify("!!!")).toBe("meeting");
    expect(slugify("../../etc/passwd")).toBe("etc-passwd");
  });
});

describe("chair outcome", () => {
  const participants = ["ceo", "cfo", "cto"];
  const last = new Map([
    ["ceo", "We go ahead with the pilot. It starts in May. Everyone agrees."],
    ["cfo", "I oppose this: the cash runway is too short. Next step: I will model a smaller pilot."],
    ["cto", "I have no strong view and defer to the CFO on money."],
  ]);

  it("parses the chair's JSON inside prose and code fences, normalising stances and filling a forgotten participant", () => {
    const text =
      'Here is the close:\n```json\n{"decision":"Run a pilot in May.","positions":[{"personaKey":"ceo","stance":"Support","rationale":"Momentum."},{"personaKey":"cfo","stance":"oppose","rationale":"Cash."}],"dissent":"","actionItems":[{"ownerPersonaKey":"cfo","description":"Model the pilot.","dueInDays":"10"}]}\n```';
    const o = parseChairOutcome(text, participants, last)!;
    expect(o).toMatchObject({ decision: "Run a pilot in May.", dissent: null, derived: false, actionItems: [{ ownerPersonaKey: "cfo", description: "Model the pilot.", dueInDays: 10 }] });
    expect(o.positions).toEqual([
      { personaKey: "ceo", stance: "support", rationale: "Momentum." },
      { personaKey: "cfo", stance: "oppose", rationale: "Cash." },
      { personaKey: "cto", stance: "abstain", rationale: "I have no strong view and defer to the CFO on money.", derived: true },
    ]);
  });

  it.each([
    ["no JSON", "We decided to run the pilot."],
    ["broken JSON", '{"decision": "x", "positions": ['],
    ["an owner who is not a participant", '{"decision":"x","positions":[{"personaKey":"ceo","stance":"support","rationale":"r"}],"actionItems":[{"ownerPersonaKey":"cmo","description":"d","dueInDays":3}]}'],
    ["an unknown stance", '{"decision":"x","positions":[{"personaKey":"ceo","stance":"maybe","rationale":"r"}]}'],
    ["an empty decision", '{"decision":" ","positions":[{"personaKey":"ceo","stance":"support","rationale":"r"}]}'],
  ])("rejects %s", (_label, text) => {
    expect(parseChairOutcome(text, participants, last)).toBeNull();
  });

  it("derives decision, stances, dissent and action items from the last turns", () => {
    const o = deriveOutcome({ chairKey: "ceo", participants, lastTurns: last, itemIndex: 1 });
    expect(o.derived).toBe(true);
    expect(o.decision).toBe("We go ahead with the pilot. It starts in May.");
    expect(o.positions.map((p) => [p.personaKey, p.stance, p.derived])).toEqual([
      ["ceo", "support", true],
      ["cfo", "oppose", true],
      ["cto", "abstain", true],
    ]);
    expect(o.positions[1]!.rationale).toBe("I oppose this: the cash runway is too short.");
    expect(o.dissent).toBe("cfo: I oppose this: the cash runway is too short.");
    expect(o.actionItems).toEqual([{ ownerPersonaKey: "cfo", description: "Next step: I will model a smaller pilot.", dueInDays: 9 }]);
  });

  it("reads cues only from the persona's own words, not the offline model's echo of the prompt", () => {
    const offline = 'Let\'s look at the numbers first. (Chief Financial Officer)\n\nYou asked: "We should oppose and I will reject this."\n\nNote: this answer was written by OC Suite\'s built-in offline model, not by an AI provider.';
    expect(derivePosition("cfo", offline)).toEqual({ personaKey: "cfo", stance: "support", rationale: "Let's look at the numbers first.", derived: true });
    expect(deriveOutcome({ chairKey: "cfo", participants: ["cfo"], lastTurns: new Map([["cfo", offline]]), itemIndex: 0 }).actionItems).toEqual([]);
  });
});
