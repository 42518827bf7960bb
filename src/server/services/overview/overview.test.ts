import { describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { recordTokenUsage } from "../budgets/token-budget";
import { getOverview, OVERVIEW_LIMIT } from "./overview";

// The Overview against real Postgres: each section lists what needs the user,
// bounded, with the workspace's own persona names; conversations are the
// caller's own; another workspace's work never shows.

const meeting = (tenantId: string, title: string, status: string) =>
  db.meeting.create({ data: { tenantId, title, goal: "Goal", agenda: ["A", "B"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status } });

describe("workspace overview", () => {
  it("is empty for a new workspace, with this month's usage and no budget", async () => {
    const f = await createTenantWithMembers();
    const o = await getOverview(tenantCtxOf(f.tenant, f.member, "MEMBER"));
    expect(o).toMatchObject({
      tasksForReview: { items: [], more: false },
      activeMeetings: { items: [], more: false },
      recentMeetings: [],
      actionItems: { items: [], more: false },
      conversations: { items: [], more: false },
      usage: { used: 0, monthlyTokens: null, exhausted: false },
      canWrite: true,
    });
  });

  it("lists tasks in review, running meetings, recent decisions, open action items and the caller's conversations", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    const t = f.tenant.id;
    await db.tenantPersona.create({ data: { tenantId: t, key: "cfo", name: "Money Boss" } });
    for (let i = 0; i < OVERVIEW_LIMIT + 1; i++) {
      await db.task.create({ data: { tenantId: t, personaKey: "cfo", title: `Review me ${i}`, description: "x", status: "needs_review" } });
    }
    await db.task.create({ data: { tenantId: t, personaKey: "cfo", title: "Still running", description: "x", status: "running" } });
    await meeting(t, "Live board", "running");
    const done = await meeting(t, "Past board", "completed");
    await db.meetingOutcome.createMany({
      data: [
        { meetingId: done.id, tenantId: t, itemIndex: 0, decision: "Hire two engineers", positions: [] },
        { meetingId: done.id, tenantId: t, itemIndex: 1, decision: "Freeze travel", positions: [] },
      ],
    });
    await db.actionItem.create({ data: { meetingId: done.id, tenantId: t, itemIndex: 0, ownerPersonaKey: "cfo", description: "Draft the hiring budget" } });
    const taken = await db.actionItem.create({ data: { meetingId: done.id, tenantId: t, itemIndex: 1, ownerPersonaKey: "ceo", description: "Already a task" } });
    const task = await db.task.create({ data: { tenantId: t, personaKey: "ceo", title: "Already a task", description: "x", sourceActionItemId: taken.id } });
    await db.actionItem.update({ where: { id: taken.id }, data: { taskId: task.id } });
    await db.conversation.create({ data: { tenantId: t, userId: f.member.id, personaKey: "cfo", title: "Mine" } });
    await db.conversation.create({ data: { tenantId: t, userId: f.admin.id, personaKey: "cfo", title: "The admin's" } });
    await meeting(other.tenant.id, "Elsewhere", "running");
    await db.task.create({ data: { tenantId: other.tenant.id, personaKey: "cfo", title: "Elsewhere", description: "x", status: "needs_review" } });
    await db.tenant.update({ where: { id: t }, data: { monthlyTokenBudget: 1000 } });
    await recordTokenUsage(t, 250);

    const o = await getOverview(tenantCtxOf(f.tenant, f.member, "MEMBER"));
    expect(o.tasksForReview.items).toHaveLength(OVERVIEW_LIMIT);
    expect(o.tasksForReview.more).toBe(true);
    expect(o.tasksForReview.items[0]).toMatchObject({ title: `Review me ${OVERVIEW_LIMIT}`, personaName: "Money Boss" });
    expect(o.activeMeetings.items.map((m) => m.title)).toEqual(["Live board"]);
    expect(o.recentMeetings).toEqual([expect.objectContaining({ title: "Past board", decisions: ["Hire two engineers", "Freeze travel"] })]);
    expect(o.actionItems.items).toEqual([expect.objectContaining({ description: "Draft the hiring budget", ownerName: "Money Boss", meetingId: done.id, meetingTitle: "Past board" })]);
    expect(o.conversations.items.map((c) => c.title)).toEqual(["Mine"]);
    expect(o.usage).toMatchObject({ used: 250, monthlyTokens: 1000 });

    // A viewer cannot chat: no conversations section content, and no write actions.
    const v = await getOverview(tenantCtxOf(f.tenant, f.viewer, "VIEWER"));
    expect(v).toMatchObject({ conversations: { items: [] }, canWrite: false });
    expect(v.tasksForReview.items).toHaveLength(OVERVIEW_LIMIT);
  });
});
