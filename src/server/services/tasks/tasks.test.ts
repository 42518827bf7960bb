/**
 * The task service against the real database. Events go to a local executor's
 * intake that runs nothing (no function is registered with it), so tasks stay
 * where the service puts them and the events it sent can be read back. The
 * runs themselves are covered in inngest/jobs/run-task.test.ts.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalExecutor } from "../../../../inngest/local/executor";
import { createExecutorServer } from "../../../../inngest/local/http";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import type { TenantCtx } from "../context";
import { createTask, createTaskFromActionItem, titleFromDescription } from "./create-task";
import { MAX_DELIVERABLE_CHARS } from "./task-schemas";
import { acceptTask, cancelTask, getTask, listTasks, sendBackTask, updateTaskDeliverable } from "./tasks";
import { runPlanStep } from "./run";

let intake: Server;
beforeAll(async () => {
  const executor = createLocalExecutor({ db }); // never started: stores events, registers no function
  intake = createExecutorServer(executor, { db });
  await new Promise<void>((r) => intake.listen(0, "127.0.0.1", r));
  inngest.setEnvVars({ INNGEST_DEV: `http://127.0.0.1:${(intake.address() as AddressInfo).port}` });
});
afterAll(async () => {
  intake.closeAllConnections();
  await new Promise((r) => intake.close(r));
});

const member = (f: TenantFixture): TenantCtx => tenantCtxOf(f.tenant, f.member, "MEMBER");
const viewer = (f: TenantFixture): TenantCtx => tenantCtxOf(f.tenant, f.viewer, "VIEWER");
const eventsFor = (name: string, taskId: string) =>
  db.inngestEvent.findMany({ where: { name, payload: { path: ["data", "taskId"], equals: taskId } }, orderBy: { ts: "asc" } });
const basic = { personaKey: "cfo", title: "Quarterly cash forecast", description: "Forecast cash for the next quarter." };

/** A task moved to review as a finished run leaves it. */
const inReview = async (f: TenantFixture, deliverable = "# Forecast\n\nCash is fine.") => {
  const { id } = await createTask(member(f), basic);
  await db.task.update({ where: { id, tenantId: f.tenant.id }, data: { status: "needs_review", deliverable, startedAt: new Date() } });
  return id;
};

const meetingWithItem = async (tenantId: string, item: Partial<{ ownerPersonaKey: string; description: string; dueDate: Date | null }> = {}) => {
  const meeting = await db.meeting.create({
    data: { tenantId, title: "Q3 board meeting", goal: "Decide the budget", agenda: ["Budget", "Hiring"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status: "completed" },
  });
  return db.actionItem.create({
    data: { meetingId: meeting.id, tenantId, itemIndex: 1, ownerPersonaKey: item.ownerPersonaKey ?? "chro", description: item.description ?? "Draft a hiring plan for two engineers.\nKeep it under budget.", dueDate: item.dueDate ?? new Date("2099-01-15T00:00:00Z") },
  });
};

describe("create", () => {
  it("queues the task and requests its run (revision 1)", async () => {
    const f = await createTenantWithMembers();
    const { id } = await createTask(member(f), { ...basic, dueDate: "2099-06-30" });
    const task = await db.task.findUniqueOrThrow({ where: { id } });
    expect(task).toMatchObject({ tenantId: f.tenant.id, createdById: f.member.id, personaKey: "cfo", status: "queued", revision: 1, dueDate: new Date("2099-06-30T00:00:00Z") });
    const [event] = await eventsFor("task/run.requested", id);
    expect(event!.payload).toMatchObject({ data: { tenantId: f.tenant.id, taskId: id, revision: 1 } });
  });

  it("accepts a due date up to a day in the past and a full timestamp", async () => {
    const f = await createTenantWithMembers();
    const yesterday = new Date(Date.now() - 12 * 3600_000).toISOString();
    const { id } = await createTask(member(f), { ...basic, dueDate: yesterday });
    expect((await db.task.findUniqueOrThrow({ where: { id } })).dueDate!.toISOString()).toBe(yesterday);
  });

  it("refuses bad input with clear errors and writes nothing", async () => {
    const f = await createTenantWithMembers();
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cmo", enabled: false } });
    const ctx = member(f);
    await expect(createTask(ctx, { ...basic, personaKey: "cfo-bot" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput", message: 'Unknown persona "cfo-bot"' });
    await expect(createTask(ctx, { ...basic, personaKey: "cmo" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "personaDisabled" });
    await expect(createTask(ctx, { ...basic, title: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(createTask(ctx, { ...basic, title: "x".repeat(121) })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(createTask(ctx, { ...basic, description: "" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(createTask(ctx, { ...basic, description: "d".repeat(4001) })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(createTask(ctx, { ...basic, dueDate: "2020-01-01" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "dueDateInPast" });
    await expect(createTask(ctx, { ...basic, dueDate: "next tuesday" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(createTask(viewer(f), basic)).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    expect(await db.task.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });
});

describe("queue position", () => {
  it("numbers the tenant's queued tasks 1, 2, 3 in queue order; other tenants' and non-queued tasks do not count", async () => {
    const [f, other] = await Promise.all([createTenantWithMembers(), createTenantWithMembers()]);
    await createTask(member(other), basic); // another tenant's queue
    const ids: string[] = [];
    for (const t of ["First", "Second", "Third"]) ids.push((await createTask(member(f), { ...basic, title: t })).id);
    const running = (await createTask(member(f), { ...basic, title: "Running" })).id;
    await db.task.update({ where: { id: running }, data: { status: "running", queuedAt: new Date(Date.now() - 60_000) } });

    const { items } = await listTasks(viewer(f));
    const pos = Object.fromEntries(items.map((i) => [i.title, i.queuePosition]));
    expect(pos).toEqual({ First: 1, Second: 2, Third: 3, Running: null });
    expect(await Promise.all(ids.map(async (id) => (await getTask(viewer(f), { id })).queuePosition))).toEqual([1, 2, 3]);

    // The first one starts: the others move up.
    await db.task.update({ where: { id: ids[0] }, data: { status: "running" } });
    expect((await getTask(viewer(f), { id: ids[2]! })).queuePosition).toBe(2);
    const queuedOnly = await listTasks(viewer(f), { status: "queued" });
    expect(queuedOnly.items.map((i) => [i.title, i.queuePosition])).toEqual([
      ["Third", 2],
      ["Second", 1],
    ]);
  });
});

describe("createFromActionItem", () => {
  it("creates the owner persona's task in one click, linked both ways, with the meeting's context; a second click returns the same task", async () => {
    const f = await createTenantWithMembers();
    const item = await meetingWithItem(f.tenant.id);
    const first = await createTaskFromActionItem(member(f), { actionItemId: item.id });
    expect(first.created).toBe(true);
    const task = await db.task.findUniqueOrThrow({ where: { id: first.id } });
    expect(task).toMatchObject({
      tenantId: f.tenant.id,
      personaKey: "chro",
      title: "Draft a hiring plan for two engineers.",
      sourceActionItemId: item.id,
      dueDate: new Date("2099-01-15T00:00:00Z"),
      status: "queued",
    });
    expect(task.description).toContain('From the board meeting "Q3 board meeting", agenda item 2: Hiring.');
    expect((await db.actionItem.findUniqueOrThrow({ where: { id: item.id } })).taskId).toBe(first.id);

    const again = await createTaskFromActionItem(member(f), { actionItemId: item.id });
    expect(again).toEqual({ id: first.id, created: false });
    expect(await db.task.count({ where: { tenantId: f.tenant.id } })).toBe(1);
    expect(await eventsFor("task/run.requested", first.id)).toHaveLength(1);
  });

  it("two simultaneous clicks create one task", async () => {
    const f = await createTenantWithMembers();
    const item = await meetingWithItem(f.tenant.id);
    const results = await Promise.all([1, 2, 3].map(() => createTaskFromActionItem(member(f), { actionItemId: item.id })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.task.count({ where: { tenantId: f.tenant.id } })).toBe(1);
  });

  it("another tenant's action item is NOT_FOUND; a disabled owner persona is refused", async () => {
    const [f, other] = await Promise.all([createTenantWithMembers(), createTenantWithMembers()]);
    const theirs = await meetingWithItem(other.tenant.id);
    await expect(createTaskFromActionItem(member(f), { actionItemId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const mine = await meetingWithItem(f.tenant.id, { ownerPersonaKey: "cto" });
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cto", enabled: false } });
    await expect(createTaskFromActionItem(member(f), { actionItemId: mine.id })).rejects.toMatchObject({ reason: "personaDisabled" });
    expect(await db.actionItem.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({ taskId: null });
    expect(await db.task.count({ where: { tenantId: { in: [f.tenant.id, other.tenant.id] } } })).toBe(0);
  });

  it("titles come from the first line, clipped", () => {
    expect(titleFromDescription("Line one\nline two")).toBe("Line one");
    expect(titleFromDescription("w ".repeat(100)).length).toBeLessThanOrEqual(120);
  });
});

describe("review actions", () => {
  it("accept: needs_review → done with finishedAt", async () => {
    const f = await createTenantWithMembers();
    const id = await inReview(f);
    const done = await acceptTask(member(f), { id });
    expect(done).toMatchObject({ status: "done" });
    expect(done.finishedAt).toBeInstanceOf(Date);
    await expect(acceptTask(member(f), { id })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotInReview" });
  });

  it("sendBack: needs_review → queued as revision 2 with the feedback, and requests the revision's run", async () => {
    const f = await createTenantWithMembers();
    const id = await inReview(f);
    const before = await db.task.findUniqueOrThrow({ where: { id } });
    const sent = await sendBackTask(member(f), { id, feedback: "  Add the worst case.  " });
    expect(sent).toMatchObject({ status: "queued", revision: 2, feedback: "Add the worst case.", deliverable: "# Forecast\n\nCash is fine.", startedAt: null });
    expect(sent.queuedAt.getTime()).toBeGreaterThan(before.queuedAt.getTime());
    const events = await eventsFor("task/run.requested", id);
    expect(events.map((e) => (e.payload as { data: { revision: number } }).data.revision)).toEqual([1, 2]);
  });

  it("feedback, accept or edits on a task that is not in review are refused", async () => {
    const f = await createTenantWithMembers();
    const { id } = await createTask(member(f), basic); // queued
    await expect(sendBackTask(member(f), { id, feedback: "More detail" })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotInReview", message: "The task is queued, not waiting for review" });
    await expect(updateTaskDeliverable(member(f), { id, deliverable: "x" })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotInReview" });
    await expect(acceptTask(member(f), { id })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotInReview" });
    const reviewed = await inReview(f);
    await expect(sendBackTask(member(f), { id: reviewed, feedback: " " })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    expect((await db.task.findUniqueOrThrow({ where: { id } })).revision).toBe(1);
  });

  it("updateDeliverable: only in review, at most 100k characters", async () => {
    const f = await createTenantWithMembers();
    const id = await inReview(f);
    expect(await updateTaskDeliverable(member(f), { id, deliverable: "# Edited\n\nBetter." })).toMatchObject({ deliverable: "# Edited\n\nBetter.", status: "needs_review" });
    await expect(updateTaskDeliverable(member(f), { id, deliverable: "x".repeat(MAX_DELIVERABLE_CHARS + 1) })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    expect((await db.task.findUniqueOrThrow({ where: { id } })).deliverable).toBe("# Edited\n\nBetter.");
  });
});

describe("cancel", () => {
  it("cancels a running task: its running step ends cancelled and task/cancel.requested is sent", async () => {
    const f = await createTenantWithMembers();
    const { id } = await createTask(member(f), basic);
    await db.task.update({ where: { id }, data: { status: "running", startedAt: new Date() } });
    await db.taskStep.create({ data: { taskId: id, tenantId: f.tenant.id, revision: 1, name: "plan", status: "complete", finishedAt: new Date(), durationMs: 5 } });
    await db.taskStep.create({ data: { taskId: id, tenantId: f.tenant.id, revision: 1, name: "research", status: "running" } });
    const cancelled = await cancelTask(member(f), { id });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    const steps = await db.taskStep.findMany({ where: { taskId: id }, orderBy: { startedAt: "asc" } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ["plan", "complete"],
      ["research", "cancelled"],
    ]);
    expect(steps[1]!.finishedAt).toBeInstanceOf(Date);
    expect((await eventsFor("task/cancel.requested", id))[0]!.payload).toMatchObject({ data: { tenantId: f.tenant.id, taskId: id } });
  });

  it("cancels queued and in-review tasks; a finished one → CONFLICT taskNotCancellable", async () => {
    const f = await createTenantWithMembers();
    const { id: queued } = await createTask(member(f), basic);
    expect((await cancelTask(member(f), { id: queued })).status).toBe("cancelled");
    const reviewed = await inReview(f);
    expect((await cancelTask(member(f), { id: reviewed })).status).toBe("cancelled");
    await expect(cancelTask(member(f), { id: queued })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotCancellable" });
    const done = await inReview(f);
    await acceptTask(member(f), { id: done });
    await expect(cancelTask(member(f), { id: done })).rejects.toMatchObject({ code: "CONFLICT", reason: "taskNotCancellable" });
  });
});

describe("tenancy and roles", () => {
  it("another tenant's task is NOT_FOUND for every operation, and is left untouched", async () => {
    const [f, other] = await Promise.all([createTenantWithMembers(), createTenantWithMembers()]);
    const id = await inReview(f);
    const them = member(other);
    await expect(getTask(them, { id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelTask(them, { id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(acceptTask(them, { id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(sendBackTask(them, { id, feedback: "no" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateTaskDeliverable(them, { id, deliverable: "mine now" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listTasks(them)).items.map((i) => i.id)).not.toContain(id);
    expect(await db.task.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "needs_review", revision: 1, deliverable: "# Forecast\n\nCash is fine." });
  });

  it("viewers read but cannot act", async () => {
    const f = await createTenantWithMembers();
    const id = await inReview(f);
    expect((await getTask(viewer(f), { id })).task.id).toBe(id);
    for (const call of [cancelTask(viewer(f), { id }), acceptTask(viewer(f), { id }), sendBackTask(viewer(f), { id, feedback: "x" }), updateTaskDeliverable(viewer(f), { id, deliverable: "x" })]) {
      await expect(call).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("a missing id is NOT_FOUND", async () => {
    const f = await createTenantWithMembers();
    await expect(getTask(member(f), { id: `task-${uid()}` })).rejects.toMatchObject({ code: "NOT_FOUND", reason: "notFound" });
  });
});

describe("through the tRPC router", () => {
  it("answers bad input with clear codes: BAD_REQUEST, PRECONDITION_FAILED, CONFLICT, NOT_FOUND", async () => {
    const [f, other] = await Promise.all([createTenantWithMembers(), createTenantWithMembers()]);
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "coo", enabled: false } });
    const api = callerFor(f.member);
    const tenantSlug = f.tenant.slug;
    await expect(api.task.create({ tenantSlug, ...basic, personaKey: "nobody" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: 'Unknown persona "nobody"' });
    await expect(api.task.create({ tenantSlug, ...basic, personaKey: "coo" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(api.task.create({ tenantSlug, ...basic, title: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { id } = await api.task.create({ tenantSlug, ...basic });
    await expect(api.task.sendBack({ tenantSlug, id, feedback: "More" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api.task.updateDeliverable({ tenantSlug, id, deliverable: "x".repeat(MAX_DELIVERABLE_CHARS + 1) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(other.member).task.get({ tenantSlug: other.tenant.slug, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const listed = await api.task.list({ tenantSlug });
    expect(listed.items).toEqual([expect.objectContaining({ id, status: "queued", queuePosition: 1, personaKey: "cfo" })]);
    const detail = await api.task.get({ tenantSlug, id });
    expect(detail).toMatchObject({ task: { id, revision: 1, status: "queued" }, steps: [], queuePosition: 1 });
  });
});

describe("steps run at least once", () => {
  it("a duplicate execution of a step (redelivery) never clobbers the completed row, even while the first is still writing", async () => {
    const f = await createTenantWithMembers();
    const { id } = await createTask(member(f), basic);
    const target = { tenantId: f.tenant.id, taskId: id, revision: 1 };
    // Two executions of the same plan step at once, then a third after both are done.
    const [a, b] = await Promise.all([runPlanStep(target), runPlanStep(target)]);
    expect([a.status, b.status]).toEqual(["complete", "complete"]);
    const third = await runPlanStep(target);
    expect(third.status).toBe("complete");
    const rows = await db.taskStep.findMany({ where: { taskId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "plan", status: "complete" });
    expect(rows[0]!.output?.length).toBeGreaterThan(20);
    expect(rows[0]!.durationMs).not.toBeNull();
  });
});
