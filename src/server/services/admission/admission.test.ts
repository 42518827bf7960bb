/**
 * Admission control on the real database: a workspace at its bound of queued +
 * running meetings / tasks is refused (429 workQueueFull with the counts the
 * UI's message shows), below it is accepted, and other workspaces, finished
 * work and work waiting for review do not count. Events go to an executor
 * that runs nothing, so rows stay where the services put them.
 */
import { createTranslator } from "next-intl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExecutor } from "../../../../inngest/local/testing/harness";
import { createTenantWithMembers, tenantCtxOf, type TenantFixture } from "../../../../prisma/factories";
import en from "~/i18n/messages/en.json";
import es from "~/i18n/messages/es.json";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { createMeeting, resumeMeeting } from "../meetings/meetings";
import { createTask, createTaskFromActionItem } from "../tasks/create-task";
import { retryTask, sendBackTask } from "../tasks/tasks";
import { countInProgress, WORK_QUEUE_FULL_RETRY_AFTER_SECONDS } from "./admission";

let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  exec = await startExecutor({ db });
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
});

const MEETINGS = env.ADMISSION_MAX_QUEUED_MEETINGS_PER_TENANT;
const TASKS = env.ADMISSION_MAX_QUEUED_TASKS_PER_TENANT;
const member = (f: TenantFixture) => tenantCtxOf(f.tenant, f.member, "MEMBER");
const MEETING = { title: "Board review", goal: "Decide the plan.", agenda: ["Budget"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1 };
const TASK = { personaKey: "cfo", title: "Cash forecast", description: "Forecast cash." };

const meetings = (tenantId: string, statuses: string[]) =>
  db.meeting.createMany({ data: statuses.map((status, i) => ({ tenantId, title: `m${i}`, goal: "g", agenda: ["a"], personaKeys: ["ceo"], chairKey: "ceo", rounds: 1, status })) });
const tasks = (tenantId: string, statuses: string[]) => db.task.createMany({ data: statuses.map((status, i) => ({ tenantId, personaKey: "cfo", title: `t${i}`, description: "d", status })) });
const times = (n: number, s: string) => Array.from({ length: n }, () => s);

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code: string; reason: string; retryAfterSeconds?: number; params?: Record<string, string | number> },
  );
  if (!err) throw new Error("expected a refusal");
  return { code: err.code, reason: err.reason, retryAfterSeconds: err.retryAfterSeconds, params: err.params };
};
const full = (kind: "meeting" | "task", n: number) => ({ code: "TOO_MANY_REQUESTS", reason: "workQueueFull", retryAfterSeconds: WORK_QUEUE_FULL_RETRY_AFTER_SECONDS, params: { kind, inProgress: n, limit: n } });

describe("meetings", () => {
  it("accepts up to the bound, refuses the next with the counts, and accepts again once one is cancelled; other workspaces are not affected", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    // Finished work does not count; queued and running do.
    await meetings(f.tenant.id, [...times(MEETINGS - 2, "queued"), "running", "completed", "failed", "cancelled"]);
    const last = await createMeeting(member(f), MEETING);
    expect(await countInProgress("meeting", f.tenant.id, 1000)).toBe(MEETINGS);

    const before = await db.meeting.count({ where: { tenantId: f.tenant.id } });
    expect(await refusal(createMeeting(member(f), MEETING))).toEqual(full("meeting", MEETINGS));
    expect(await db.meeting.count({ where: { tenantId: f.tenant.id } })).toBe(before);
    await expect(createMeeting(member(other), MEETING)).resolves.toMatchObject({ id: expect.any(String) });

    // A failed meeting cannot be resumed while the workspace is full; it stays failed.
    const failed = await db.meeting.findFirstOrThrow({ where: { tenantId: f.tenant.id, status: "failed" } });
    expect(await refusal(resumeMeeting(member(f), { id: failed.id }))).toEqual(full("meeting", MEETINGS));
    expect((await db.meeting.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("failed");

    await db.meeting.update({ where: { id: last.id }, data: { status: "cancelled" } });
    await expect(resumeMeeting(member(f), { id: failed.id })).resolves.toMatchObject({ status: "queued" });
  });
});

describe("tasks", () => {
  it("create, from an action item, retry and send back are refused at the bound; needs_review and finished tasks do not count", async () => {
    const f = await createTenantWithMembers();
    await tasks(f.tenant.id, [...times(TASKS - 2, "queued"), "running", "needs_review", "done", "failed", "cancelled"]);
    await expect(createTask(member(f), TASK)).resolves.toMatchObject({ id: expect.any(String) });
    expect(await countInProgress("task", f.tenant.id, 1000)).toBe(TASKS);

    expect(await refusal(createTask(member(f), TASK))).toEqual(full("task", TASKS));
    const meeting = await db.meeting.create({ data: { tenantId: f.tenant.id, title: "Q3", goal: "g", agenda: ["Budget"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status: "completed" } });
    const actionItem = await db.actionItem.create({ data: { meetingId: meeting.id, tenantId: f.tenant.id, itemIndex: 0, ownerPersonaKey: "cfo", description: "Draft the budget." } });
    expect(await refusal(createTaskFromActionItem(member(f), { actionItemId: actionItem.id }))).toEqual(full("task", TASKS));
    expect((await db.actionItem.findUniqueOrThrow({ where: { id: actionItem.id } })).taskId).toBeNull();

    const failed = await db.task.findFirstOrThrow({ where: { tenantId: f.tenant.id, status: "failed" } });
    expect(await refusal(retryTask(member(f), { id: failed.id }))).toEqual(full("task", TASKS));
    expect((await db.task.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("failed");
    const review = await db.task.findFirstOrThrow({ where: { tenantId: f.tenant.id, status: "needs_review" } });
    expect(await refusal(sendBackTask(member(f), { id: review.id, feedback: "Shorter, please." }))).toEqual(full("task", TASKS));
    expect((await db.task.findUniqueOrThrow({ where: { id: review.id } })).status).toBe("needs_review");

    // One finishes: room for exactly one more.
    await db.task.updateMany({ where: { tenantId: f.tenant.id, status: "running" }, data: { status: "done" } });
    await expect(retryTask(member(f), { id: failed.id })).resolves.toMatchObject({ status: "queued" });
    expect(await refusal(createTask(member(f), TASK))).toEqual(full("task", TASKS));
  });
});

describe("the message", () => {
  it("says how many are in progress, in English and Spanish", () => {
    // The same formatter the UI uses (next-intl), over the real message catalogues.
    const fmt = (locale: "en" | "es", kind: string, n: number) =>
      createTranslator({ locale, messages: locale === "en" ? en : es, namespace: "errors" })("workQueueFull", { kind, inProgress: n, limit: n });
    expect(fmt("en", "meeting", 20)).toMatch(/^This workspace already has 20 meetings queued or running, .*\(20\)\. Wait for one to finish, or cancel one/);
    expect(fmt("en", "task", 1)).toMatch(/already has 1 task queued/);
    expect(fmt("es", "task", 50)).toMatch(/ya tiene 50 tareas en cola o en curso/);
    expect(fmt("es", "meeting", 20)).toMatch(/20 reuniones/);
  });
});
