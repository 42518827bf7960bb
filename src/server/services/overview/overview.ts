import "server-only";
import { hasRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { getTokenBudgetStatus, type TokenBudgetStatus } from "../budgets/token-budget";
import type { TenantCtx } from "../context";
import { applyOverride } from "../personas/resolve";
import { isPersonaKey } from "../personas/templates";

/*
 * The workspace's home (the Overview): what needs the user now. Every list is
 * bounded (OVERVIEW_LIMIT, one more read to say "there is more") and served by
 * a (tenantId, …) index; the lists run in parallel. Conversations are the
 * caller's own (they are private), and only from members up, who can chat.
 */

export const OVERVIEW_LIMIT = 5;
const RECENT_MEETINGS = 3;
const DECISIONS_PER_MEETING = 3;

const bounded = <T>(rows: T[]) => ({ items: rows.slice(0, OVERVIEW_LIMIT), more: rows.length > OVERVIEW_LIMIT });

/** Display names of persona keys in this workspace (its own name for a persona, else the built-in one). */
const personaNames = async (tenantId: string, keys: string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return new Map();
  const rows = await db.tenantPersona.findMany({ where: { tenantId, key: { in: unique } }, select: { key: true, name: true, instructions: true } });
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return new Map(unique.map((k) => [k, isPersonaKey(k) ? applyOverride(k, byKey.get(k) ?? null).name : k]));
};

const tasksForReview = (tenantId: string) =>
  db.task.findMany({
    where: { tenantId, status: "needs_review" },
    orderBy: [{ queuedAt: "desc" }, { id: "desc" }],
    take: OVERVIEW_LIMIT + 1,
    select: { id: true, title: true, personaKey: true, revision: true, finishedAt: true },
  });

const activeMeetings = (tenantId: string) =>
  db.meeting.findMany({
    where: { tenantId, status: { in: ["queued", "running"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: OVERVIEW_LIMIT + 1,
    select: { id: true, title: true, status: true, createdAt: true, startedAt: true },
  });

const recentMeetings = async (tenantId: string) => {
  const meetings = await db.meeting.findMany({
    where: { tenantId, status: "completed" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RECENT_MEETINGS,
    select: { id: true, title: true, finishedAt: true },
  });
  if (meetings.length === 0) return [];
  const outcomes = await db.meetingOutcome.findMany({
    where: { tenantId, meetingId: { in: meetings.map((m) => m.id) }, itemIndex: { lt: DECISIONS_PER_MEETING } },
    orderBy: [{ meetingId: "asc" }, { itemIndex: "asc" }],
    select: { meetingId: true, decision: true },
  });
  return meetings.map((m) => ({ ...m, decisions: outcomes.filter((o) => o.meetingId === m.id).map((o) => o.decision) }));
};

const openActionItems = (tenantId: string) =>
  db.actionItem.findMany({
    where: { tenantId, taskId: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: OVERVIEW_LIMIT + 1,
    select: { id: true, description: true, ownerPersonaKey: true, dueDate: true, meeting: { select: { id: true, title: true } } },
  });

const recentConversations = (ctx: Pick<TenantCtx, "tenantId" | "userId" | "role">) =>
  hasRole(ctx.role, "MEMBER")
    ? db.conversation.findMany({
        where: { tenantId: ctx.tenantId, userId: ctx.userId },
        orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
        take: OVERVIEW_LIMIT + 1,
        select: { id: true, title: true, personaKey: true, lastMessageAt: true },
      })
    : Promise.resolve([]);

export type WorkspaceOverview = Awaited<ReturnType<typeof getOverview>>;

export const getOverview = async (ctx: Pick<TenantCtx, "tenantId" | "userId" | "role">, opts: { now?: Date } = {}) => {
  const [tasks, active, recent, actions, conversations, usage] = await Promise.all([
    tasksForReview(ctx.tenantId),
    activeMeetings(ctx.tenantId),
    recentMeetings(ctx.tenantId),
    openActionItems(ctx.tenantId),
    recentConversations(ctx),
    getTokenBudgetStatus(ctx.tenantId, opts),
  ]);
  const names = await personaNames(ctx.tenantId, [...tasks.map((t) => t.personaKey), ...actions.map((a) => a.ownerPersonaKey), ...conversations.map((c) => c.personaKey)]);
  const nameOf = (key: string) => names.get(key) ?? key;
  return {
    tasksForReview: bounded(tasks.map(({ personaKey, ...t }) => ({ ...t, personaName: nameOf(personaKey) }))),
    activeMeetings: bounded(active),
    recentMeetings: recent,
    actionItems: bounded(
      actions.map((a) => ({ id: a.id, description: a.description, ownerName: nameOf(a.ownerPersonaKey), dueDate: a.dueDate, meetingId: a.meeting.id, meetingTitle: a.meeting.title })),
    ),
    conversations: bounded(conversations.map(({ personaKey, ...c }) => ({ ...c, personaName: nameOf(personaKey) }))),
    usage: usage satisfies TokenBudgetStatus,
    canWrite: hasRole(ctx.role, "MEMBER"),
  };
};
