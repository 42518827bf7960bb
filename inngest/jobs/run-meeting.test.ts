/**
 * The meeting run through the real SDK: served over HTTP by inngest/node and
 * driven by the local executor (inngest/local) on the test database, with the
 * offline model, and with a real OpenAI-compatible HTTP server as the provider.
 * Covers the happy path (turns, outcomes, action items, tokens, knowledge in
 * the prompt), the chair's JSON outcome, failure mid-meeting then resume
 * without duplicated turns, cancel mid-run, stale run versions, and (through
 * @inngest/test) the step ids.
 */
import { InngestTestEngine } from "@inngest/test";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid } from "../../prisma/factories";
import { startMockOpenAI, type MockOpenAI } from "../../tests/support/mock-openai-server";
import { metricValue } from "../../tests/support/prometheus-text";
import { runOf, startApp, startExecutor } from "../local/testing/harness";
import { runMeeting } from "./run-meeting";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { writeChunks } from "~/server/services/knowledge/ingest";
import { cancelMeeting, createMeeting, getMeeting, resumeMeeting, type CreateMeetingInput } from "~/server/services/meetings/meetings";
import { createCredential } from "~/server/services/providers/credentials";

// Spans land in memory, with W3C propagation and async context as in the app.
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const FN = "ocsuite-run-meeting";
let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
let mock: MockOpenAI;

const CHAIR_JSON = {
  decision: "Launch the premium tier in Q3 with a capped pilot.",
  positions: [
    { personaKey: "cfo", stance: "oppose", rationale: "Cash runway is too thin for a full launch." },
    { personaKey: "cto", stance: "SUPPORT", rationale: "The platform is ready for a pilot." },
  ],
  dissent: "The CFO wants the launch delayed until cash improves.",
  actionItems: [
    { ownerPersonaKey: "cfo", description: "Model the cash impact of the pilot.", dueInDays: 10 },
    { ownerPersonaKey: "cto", description: "Prepare the pilot environment.", dueInDays: 5 },
  ],
};
/** The mock answers every call alike: prose a turn can use, with the JSON object the chair is asked for. */
const MOCK_REPLY = `I support a capped pilot, CTO, and I will own the cash model. ${JSON.stringify(CHAIR_JSON)}`;

beforeAll(async () => {
  mock = await startMockOpenAI({ reply: MOCK_REPLY });
  app = await startApp(inngest, [runMeeting]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
  await mock?.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.setBehaviour({ reply: MOCK_REPLY, failWithStatus: null, timeToFirstTokenMs: 0, chunkDelayMs: 0 });
});

const until = async <T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A workspace with a member; with `mock`, its personas answer through the mock provider. */
const workspace = async (opts: { mock?: boolean } = {}) => {
  const f = await createTenantWithMembers();
  if (opts.mock) {
    await createCredential(
      tenantCtxOf(f.tenant, f.owner, "OWNER"),
      { provider: "openai-compatible", label: "Mock", apiKey: `sk-meeting-${uid(8)}`, baseUrl: mock.url, defaultModel: "mock-model" },
      { allowPrivateAddresses: true },
    );
  }
  return { ...f, ctx: tenantCtxOf(f.tenant, f.member, "MEMBER") };
};

const FOUR: CreateMeetingInput = {
  title: "Q3 planning",
  goal: "Agree the three priorities for the quarter.",
  agenda: ["Premium tier pricing", "Hiring plan for support", "Data residency for EU customers"],
  personaKeys: ["ceo", "cfo", "cto", "general-counsel"],
  chairKey: "ceo",
  rounds: 1,
};

/** The run of the meeting's run.requested event for that run version. */
const latestRun = (meetingId: string, runVersion: number) =>
  until(async () =>
    (await db.inngestRun.findMany({ where: { functionId: FN, event: { path: ["data", "meetingId"], equals: meetingId } } })).find(
      (r) => (r.event as { data: { runVersion: number } }).data.runVersion === runVersion,
    ),
  );

const meetingStatus = (id: string) => db.meeting.findUniqueOrThrow({ where: { id } }).then((m) => m.status);
const settled = (id: string) => until(async () => ((s) => (["completed", "failed", "cancelled"].includes(s) ? s : null))(await meetingStatus(id)));
const turnCount = (meetingId: string) => db.meetingTurn.count({ where: { meetingId } });

describe("meeting/run.requested on the offline model", () => {
  it("runs 3 items × 4 personas × 1 round: 12 turns, 3 derived outcomes with action items, tokens summed, completed", async () => {
    const w = await workspace();
    // A ready document the turns on pricing should be grounded on.
    const doc = await db.document.create({
      data: { tenantId: w.tenant.id, title: "Pricing memo", filename: "pricing.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: 10, sha256: uid(32), storageKey: `k-${uid()}`, indexVersion: 1 },
    });
    const text = "Premium tier pricing should stay below 40 euros per seat to keep churn low.";
    await writeChunks({ tenantId: w.tenant.id, documentId: doc.id, indexVersion: 1 }, { pageCount: 1, charCount: text.length }, [{ ordinal: 0, text, page: 3, heading: null, charStart: 0, charEnd: text.length }]);

    const before = await metricValue("ocsuite_meeting_turns_total", { ocsuite_outcome: "complete" });
    const { id } = await createMeeting(w.ctx, FOUR);
    expect(await meetingStatus(id)).toBe("queued");
    const run = await latestRun(id, 1);
    expect(await exec.executor.waitForRun(run.id, undefined, 60_000)).toMatchObject({ status: "COMPLETED", output: { status: "completed", turns: 12 } });

    const d = await getMeeting(w.ctx, { id });
    expect(d.meeting).toMatchObject({ status: "completed", errorReason: null });
    expect(d.meeting.startedAt).toBeInstanceOf(Date);
    expect(d.meeting.finishedAt!.getTime()).toBeGreaterThanOrEqual(d.meeting.startedAt!.getTime());
    expect(d.turns).toHaveLength(12);
    expect(d.progress).toEqual({ done: 15, total: 15 });
    // Speaking order per item, every turn written by the offline model and timed.
    for (let i = 0; i < 3; i++) expect(d.turns.filter((t) => t.itemIndex === i).map((t) => t.personaKey)).toEqual(FOUR.personaKeys);
    expect(d.turns.every((t) => t.offline && t.provider === "offline" && t.durationMs !== null && t.content.length > 50)).toBe(true);
    // The agenda item is in each prompt (the offline model echoes it) and the document grounds the pricing item only.
    expect(d.turns[0]!.content).toContain('Agenda item 1 of 3: "Premium tier pricing"');
    expect(d.turns.filter((t) => t.itemIndex === 0).every((t) => t.content.includes("below 40 euros per seat") && t.content.includes("Pricing memo, p. 3"))).toBe(true);
    // Tokens: the sum of the turns (the offline chair costs nothing).
    const sum = (k: "inputTokens" | "outputTokens") => d.turns.reduce((s, t) => s + (t[k] ?? 0), 0);
    expect(d.meeting.inputTokens).toBe(sum("inputTokens"));
    expect(d.meeting.outputTokens).toBe(sum("outputTokens"));
    expect(d.meeting.inputTokens).toBeGreaterThan(12 * 50);
    // One outcome per item, derived from the turns and marked so.
    expect(d.outcomes.map((o) => o.itemIndex)).toEqual([0, 1, 2]);
    for (const o of d.outcomes) {
      expect(o.derived).toBe(true);
      expect(o.decision).toContain("Let's decide what matters most here"); // the CEO chair's last turn
      expect(o.positions.map((p) => p.personaKey)).toEqual(FOUR.personaKeys);
      expect(o.positions.every((p) => p.stance === "support" && p.derived === true && p.rationale.length > 0)).toBe(true);
      expect(o.dissent).toBeNull();
    }
    // Action items: one per participant whose last turn names a next step ("I would …"), due in 7–14 days.
    expect(d.actionItems.length).toBeGreaterThanOrEqual(3);
    expect(d.actionItems.filter((a) => a.itemIndex === 0).map((a) => a.ownerPersonaKey)).toEqual(expect.arrayContaining(["cfo", "cto", "general-counsel"]));
    for (const a of d.actionItems) {
      const days = (a.dueDate!.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(5.9);
      expect(days).toBeLessThanOrEqual(14);
      expect(a.description).toMatch(/I would/);
    }
    const after = await metricValue("ocsuite_meeting_turns_total", { ocsuite_outcome: "complete" });
    expect(after - before).toBe(12);
  });

  it("is one trace from the request that created the meeting to the last model call", async () => {
    const w = await workspace();
    const request = trace.getTracer("test").startSpan("POST /api/trpc/meeting.create");
    const { id } = await context.with(trace.setSpan(context.active(), request), () =>
      createMeeting(w.ctx, { title: "Traced", goal: "One trace.", agenda: ["Only item"], personaKeys: ["cfo", "coo"], chairKey: "coo", rounds: 1 }),
    );
    request.end();
    const traceId = request.spanContext().traceId;
    const event = await db.inngestEvent.findFirstOrThrow({ where: { name: "meeting/run.requested", payload: { path: ["data", "meetingId"], equals: id } } });
    expect((event.payload as { data: { traceparent?: string } }).data.traceparent).toContain(traceId);
    const run = await latestRun(id, 1);
    expect((await exec.executor.waitForRun(run.id)).status).toBe("COMPLETED");
    const jobSpans = spans.getFinishedSpans().filter((s) => s.name === `inngest.job ${FN}` && s.attributes["inngest.run.id"] === run.id);
    expect(jobSpans.length).toBeGreaterThanOrEqual(4); // start, 2 turns, close, finish (each its own request)
    expect(new Set(jobSpans.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    const modelCalls = spans.getFinishedSpans().filter((s) => s.name.startsWith("chat ") && s.attributes["ocsuite.tenant.id"] === w.tenant.id);
    expect(modelCalls.map((s) => s.attributes["ocsuite.persona"])).toEqual(["cfo", "coo"]);
    expect(new Set(modelCalls.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it("ignores a run event whose runVersion is not the meeting's", async () => {
    const w = await workspace();
    const m = await db.meeting.create({
      data: { tenantId: w.tenant.id, createdById: w.member.id, title: "Stale", goal: "g", agenda: ["a"], personaKeys: ["cfo"], chairKey: "cfo", rounds: 1, runVersion: 2 },
    });
    const { ids } = await inngest.send({ name: "meeting/run.requested", data: { tenantId: w.tenant.id, meetingId: m.id, runVersion: 1 } });
    const run = await runOf(db, ids[0]!, FN);
    expect(await exec.executor.waitForRun(run.id)).toMatchObject({ status: "COMPLETED", output: { status: "stale" } });
    expect(await meetingStatus(m.id)).toBe("queued");
    expect(await turnCount(m.id)).toBe(0);
  });

  it("is limited per tenant and cancelled by meeting/cancel.requested for the same meeting", () => {
    const config = exec.executor.functions().find((f) => f.id === FN);
    const json = JSON.stringify(config);
    expect(json).toContain('"key":"event.data.tenantId","limit":2');
    expect(json).toContain('"event":"meeting/cancel.requested"');
    expect(json).toContain('"if":"event.data.meetingId == async.data.meetingId"');
  });
});

describe("meeting/run.requested through a provider (mock OpenAI server)", () => {
  const TWO: CreateMeetingInput = { title: "Pilot", goal: "Decide the pilot.", agenda: ["Premium pilot"], personaKeys: ["cfo", "cto"], chairKey: "cfo", rounds: 2 };

  it("stores the chair's JSON outcome as positions, dissent and action items, and counts the tokens of every call", async () => {
    const w = await workspace({ mock: true });
    const { id } = await createMeeting(w.ctx, TWO);
    expect(await exec.executor.waitForRun((await latestRun(id, 1)).id, undefined, 60_000)).toMatchObject({ status: "COMPLETED" });
    const d = await getMeeting(w.ctx, { id });
    expect(d.turns.map((t) => `${t.round}:${t.personaKey}`)).toEqual(["1:cfo", "1:cto", "2:cfo", "2:cto"]);
    expect(d.turns.every((t) => !t.offline && t.provider === "openai-compatible" && t.model === "mock-model")).toBe(true);
    expect(d.outcomes).toHaveLength(1);
    expect(d.outcomes[0]).toMatchObject({
      decision: CHAIR_JSON.decision,
      dissent: CHAIR_JSON.dissent,
      derived: false,
      positions: [
        { personaKey: "cfo", stance: "oppose", rationale: "Cash runway is too thin for a full launch." },
        { personaKey: "cto", stance: "support", rationale: "The platform is ready for a pilot." },
      ],
    });
    expect(d.outcomes[0]!.positions.some((p) => p.derived)).toBe(false);
    expect(d.actionItems.map((a) => [a.ownerPersonaKey, a.description])).toEqual([
      ["cfo", "Model the cash impact of the pilot."],
      ["cto", "Prepare the pilot environment."],
    ]);
    const days = d.actionItems.map((a) => Math.round((a.dueDate!.getTime() - Date.now()) / 86_400_000));
    expect(days[0]).toBeGreaterThanOrEqual(9);
    expect(days[0]).toBeLessThanOrEqual(10);
    // 4 turns + 1 chair call, 11 in / 7 out each (the mock's usage).
    const calls = mock.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(calls).toHaveLength(5);
    expect(d.meeting).toMatchObject({ status: "completed", inputTokens: 55, outputTokens: 35 });
    // The second speaker sees the first one's words and is asked to answer colleagues by name.
    const second = JSON.stringify((calls[1]!.body as { messages: unknown[] }).messages);
    expect(second).toContain("Chief Financial Officer (round 1): I support a capped pilot");
    expect(second).toContain("Respond to your colleagues by name");
    // The chair was asked for JSON.
    expect(JSON.stringify((calls[4]!.body as { messages: unknown[] }).messages)).toContain("Answer with ONE JSON object");
  });

  it("derives the outcome (marked derived) when the chair's answer is not valid JSON", async () => {
    const w = await workspace({ mock: true });
    mock.setBehaviour({ reply: "I oppose this plan, CTO: it is too risky. Next step: I will rerun the numbers." });
    const { id } = await createMeeting(w.ctx, { ...TWO, rounds: 1 });
    expect(await exec.executor.waitForRun((await latestRun(id, 1)).id, undefined, 60_000)).toMatchObject({ status: "COMPLETED" });
    const d = await getMeeting(w.ctx, { id });
    expect(d.outcomes[0]).toMatchObject({ derived: true, decision: "I oppose this plan, CTO: it is too risky. Next step: I will rerun the numbers." });
    expect(d.outcomes[0]!.positions.map((p) => p.stance)).toEqual(["oppose", "oppose"]);
    expect(d.outcomes[0]!.dissent).toContain("cfo: I oppose this plan");
    expect(d.actionItems.map((a) => a.description)).toEqual(["Next step: I will rerun the numbers.", "Next step: I will rerun the numbers."]);
  });

  it("a provider failing mid-meeting: retried, then failed with the reason and every completed turn kept; resume continues without repeating a turn", async () => {
    const w = await workspace({ mock: true });
    const plan: CreateMeetingInput = { title: "Flaky", goal: "Survive a provider outage.", agenda: ["First item", "Second item"], personaKeys: ["cfo", "cto"], chairKey: "cto", rounds: 1 };
    mock.setBehaviour({ timeToFirstTokenMs: 150 });
    const { id } = await createMeeting(w.ctx, plan);
    // After two stored turns the provider starts rejecting every request.
    await until(async () => (await turnCount(id)) >= 2);
    mock.setBehaviour({ failWithStatus: 400 });
    const run = await latestRun(id, 1);
    expect(await exec.executor.waitForRun(run.id, undefined, 60_000)).toMatchObject({ status: "FAILED" });
    const failed = await until(async () => {
      const m = await db.meeting.findUniqueOrThrow({ where: { id } });
      return m.status === "failed" ? m : null;
    });
    expect(failed.errorReason).toBe("providerRejected");
    const kept = await db.meetingTurn.findMany({ where: { meetingId: id }, select: { id: true, itemIndex: true, personaKey: true } });
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(4);
    // The failing step was tried 3 times (retries: 2).
    const rejected = mock.requests.filter((r) => r.path === "/v1/chat/completions").length - kept.length - (await db.meetingOutcome.count({ where: { meetingId: id } }));
    expect(rejected).toBe(3);

    mock.setBehaviour({ failWithStatus: null, timeToFirstTokenMs: 0 });
    mock.requests.length = 0;
    const outcomesBefore = await db.meetingOutcome.count({ where: { meetingId: id } });
    expect(await resumeMeeting(w.ctx, { id })).toEqual({ id, status: "queued" });
    const m = await db.meeting.findUniqueOrThrow({ where: { id } });
    expect(m).toMatchObject({ runVersion: 2, errorReason: null });
    expect(await exec.executor.waitForRun((await latestRun(id, 2)).id, undefined, 60_000)).toMatchObject({ status: "COMPLETED", output: { status: "completed", turns: 4 - kept.length } });
    const all = await db.meetingTurn.findMany({ where: { meetingId: id } });
    expect(all).toHaveLength(4);
    // The kept turns are the same rows, untouched.
    expect(kept.every((k) => all.some((a) => a.id === k.id))).toBe(true);
    // Only the missing turns and closes were asked of the provider.
    expect(mock.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(4 - kept.length + (2 - outcomesBefore));
    expect(await db.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "completed", inputTokens: 11 * 6, outputTokens: 7 * 6 });
  });

  it("cancel mid-run stops further turns; resume then finishes the meeting", async () => {
    const w = await workspace({ mock: true });
    mock.setBehaviour({ timeToFirstTokenMs: 200 });
    const { id } = await createMeeting(w.ctx, FOUR);
    await until(async () => (await turnCount(id)) >= 1);
    expect(await cancelMeeting(w.ctx, { id })).toEqual({ id, status: "cancelled" });
    const run = await latestRun(id, 1);
    expect((await exec.executor.waitForRun(run.id, undefined, 30_000)).status).toMatch(/CANCELLED|COMPLETED/);
    // A turn in flight when the cancel arrived may still be stored (its model call takes 200 ms); nothing after it.
    await new Promise((r) => setTimeout(r, 500));
    const atCancel = await turnCount(id);
    await new Promise((r) => setTimeout(r, 800));
    const later = await turnCount(id);
    expect(later).toBe(atCancel);
    expect(later).toBeLessThan(12);
    expect(await db.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled" });
    await expect(cancelMeeting(w.ctx, { id })).rejects.toMatchObject({ code: "CONFLICT", reason: "meetingNotCancellable" });

    mock.setBehaviour({ timeToFirstTokenMs: 0 });
    await resumeMeeting(w.ctx, { id });
    expect(await exec.executor.waitForRun((await latestRun(id, 2)).id, undefined, 60_000)).toMatchObject({ status: "COMPLETED" });
    expect(await settled(id)).toBe("completed");
    expect(await turnCount(id)).toBe(12);
    await expect(resumeMeeting(w.ctx, { id })).rejects.toMatchObject({ code: "CONFLICT", reason: "meetingNotResumable" });
  });
});

describe("run-meeting (InngestTestEngine)", () => {
  it("runs one step per turn, named turn-i<item>-r<round>-<persona>, then close-i<item>", async () => {
    const w = await workspace();
    const m = await db.meeting.create({
      data: { tenantId: w.tenant.id, createdById: w.member.id, title: "Engine", goal: "g", agenda: ["Only item"], personaKeys: ["coo", "chro"], chairKey: "coo", rounds: 2 },
    });
    const engine = new InngestTestEngine({ function: runMeeting });
    const { result, ctx } = await engine.execute({ events: [{ name: "meeting/run.requested", data: { tenantId: w.tenant.id, meetingId: m.id, runVersion: 1 } }] });
    expect(result).toEqual({ status: "completed", turns: 4 });
    const ids = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((c) => c[0]);
    expect(ids).toEqual(["start", "turn-i0-r1-coo", "turn-i0-r1-chro", "turn-i0-r2-coo", "turn-i0-r2-chro", "close-i0", "finish"]);
    expect(await db.meeting.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ status: "completed" });
  });

  it("a disabled persona fails the run at once (no retries) with personaDisabled", async () => {
    const w = await workspace();
    await db.tenantPersona.create({ data: { tenantId: w.tenant.id, key: "cmo", enabled: false } });
    const m = await db.meeting.create({
      data: { tenantId: w.tenant.id, createdById: w.member.id, title: "Disabled", goal: "g", agenda: ["x"], personaKeys: ["cmo"], chairKey: "cmo", rounds: 1 },
    });
    const { error } = await new InngestTestEngine({ function: runMeeting }).execute({ events: [{ name: "meeting/run.requested", data: { tenantId: w.tenant.id, meetingId: m.id, runVersion: 1 } }] });
    expect(error).toMatchObject({ name: "NonRetriableError", message: "personaDisabled" });
  });
});
