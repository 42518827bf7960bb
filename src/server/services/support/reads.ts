import "server-only";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { appendAuditEvent } from "~/server/services/audit/audit";
import type { SupportReadCtx } from "./sessions";

/*
 * What a platform admin may read inside a support session. Every function
 * takes the SupportReadCtx from `supportReadContext` (so there is no way to
 * call one without a live session), filters by the session's tenant, and
 * appends `support_session.read` to the TENANT's chain with the session id,
 * what was read and the ids — before returning anything. Unlike ordinary
 * audit events, a failure to write this one fails the read: "everything read
 * in a support session is audited" has to hold without exceptions.
 *
 * Meetings and tasks are read from their tables directly (their services are
 * member-facing and check tenant roles the admin does not have).
 */

export const SUPPORT_READ_KINDS = ["conversations", "conversation", "documents", "meetings", "tasks"] as const;
export type TSupportReadKind = (typeof SUPPORT_READ_KINDS)[number];

const LIST_TAKE = 100;

const audited = async (ctx: SupportReadCtx, what: TSupportReadKind, ids: string[]) => {
  try {
    await appendAuditEvent({
      tenantId: ctx.tenantId,
      actorId: ctx.adminUserId,
      actorType: "PLATFORM_ADMIN",
      action: "support_session.read",
      targetType: "SupportSession",
      targetId: ctx.sessionId,
      metadata: { sessionId: ctx.sessionId, what, ids, reason: ctx.reason },
      meta: ctx.meta,
    });
  } catch (err) {
    throw new AppError("SERVICE_UNAVAILABLE", "auditUnavailable", "The read could not be recorded, so it was not performed", { cause: err });
  }
};

const userLabels = async (ids: (string | null)[]) => {
  const unique = [...new Set(ids.filter((x): x is string => x !== null))];
  if (unique.length === 0) return new Map<string, string>();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
};

/** The tenant's conversations (every member's), newest first, without their messages. */
export const supportListConversations = async (ctx: SupportReadCtx) => {
  const rows = await db.conversation.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: LIST_TAKE,
    select: { id: true, title: true, personaKey: true, userId: true, lastMessageAt: true, createdAt: true, _count: { select: { messages: true } } },
  });
  const emails = await userLabels(rows.map((r) => r.userId));
  await audited(
    ctx,
    "conversations",
    rows.map((r) => r.id),
  );
  return rows.map(({ _count, userId, ...r }) => ({ ...r, authorEmail: emails.get(userId) ?? null, messageCount: _count.messages }));
};

/** One conversation of the tenant with its messages (NOT_FOUND when it is not the session tenant's). */
export const supportReadConversation = async (ctx: SupportReadCtx, input: { conversationId: string }) => {
  const c = await db.conversation.findFirst({
    where: { id: input.conversationId, tenantId: ctx.tenantId },
    select: {
      id: true,
      title: true,
      personaKey: true,
      userId: true,
      createdAt: true,
      messages: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, role: true, content: true, status: true, createdAt: true } },
    },
  });
  if (!c) throw new AppError("NOT_FOUND", "notFound", "Conversation not found");
  const emails = await userLabels([c.userId]);
  await audited(ctx, "conversation", [c.id]);
  const { userId, ...rest } = c;
  return { ...rest, authorEmail: emails.get(userId) ?? null };
};

/** The tenant's documents (metadata only; the text and originals stay out of this view). */
export const supportListDocuments = async (ctx: SupportReadCtx) => {
  const rows = await db.document.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIST_TAKE,
    select: { id: true, title: true, filename: true, kind: true, sizeBytes: true, status: true, createdAt: true },
  });
  await audited(
    ctx,
    "documents",
    rows.map((r) => r.id),
  );
  return rows;
};

/** The tenant's board meetings (title, goal, status). */
export const supportListMeetings = async (ctx: SupportReadCtx) => {
  const rows = await db.meeting.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIST_TAKE,
    select: { id: true, title: true, goal: true, status: true, createdAt: true },
  });
  await audited(
    ctx,
    "meetings",
    rows.map((r) => r.id),
  );
  return rows;
};

/** The tenant's tasks (title, persona, status). */
export const supportListTasks = async (ctx: SupportReadCtx) => {
  const rows = await db.task.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIST_TAKE,
    select: { id: true, title: true, personaKey: true, status: true, createdAt: true },
  });
  await audited(
    ctx,
    "tasks",
    rows.map((r) => r.id),
  );
  return rows;
};
