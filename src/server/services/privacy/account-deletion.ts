import "server-only";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { storageForRegion, type ObjectStorage } from "~/server/infra/storage";
import { appendAuditEvent, recordAudit } from "../audit/audit";
import type { UserCtx } from "../context";

/*
 * A user deletes their own account (issue 16; docs/policies/privacy-by-design.md).
 *
 * Refused while they are the only owner of a workspace that is not DELETED (a workspace scheduled
 * for deletion counts: until it is purged it still needs an owner who can cancel): they must make
 * another member an owner, or delete the workspace, first. The refusal names those workspaces.
 *
 * What goes: the User row and, by ON DELETE CASCADE, their sign-in accounts, sessions (so every
 * device is signed out at once), memberships, invitations they sent and their private chats
 * (Conversation → Message; a chat belongs to its user, not to the workspace); their personal data
 * exports (archives in object storage, then rows). What stays with the workspaces, no longer linked
 * to them: meetings, tasks and documents they created, LLM call records, personas they edited,
 * access-review decisions (those ids are plain columns, cleared here). Audit events keep the
 * opaque user id they were written with (the chain is append-only and hashed); with the User row
 * gone it names nobody, and the events go with the workspace's audit retention.
 */

/** What the user must type to confirm: their e-mail address. */
export const accountDeletionConfirmation = (email: string) => email.trim().toLowerCase();

/** Workspaces (not deleted) where the user is the only owner: each blocks the deletion. */
export const soleOwnedWorkspaces = async (userId: string): Promise<{ id: string; slug: string; name: string }[]> => {
  const owned = await db.membership.findMany({
    where: { userId, role: "OWNER", tenant: { status: { not: "DELETED" } } },
    select: { tenant: { select: { id: true, slug: true, name: true, _count: { select: { memberships: { where: { role: "OWNER" } } } } } } },
  });
  return owned.filter((m) => m.tenant._count.memberships === 1).map(({ tenant }) => ({ id: tenant.id, slug: tenant.slug, name: tenant.name }));
};

/** Ids of the user's left in workspace rows: cleared (plain columns; the rows stay with their workspace). */
const anonymiseAuthorship = async (userId: string) => {
  await db.$transaction([
    db.meeting.updateMany({ where: { createdById: userId }, data: { createdById: null } }),
    db.task.updateMany({ where: { createdById: userId }, data: { createdById: null } }),
    db.document.updateMany({ where: { uploadedById: userId }, data: { uploadedById: null } }),
    db.llmCall.updateMany({ where: { userId }, data: { userId: null } }),
    db.tenantPersona.updateMany({ where: { updatedById: userId }, data: { updatedById: null } }),
    db.accessReview.updateMany({ where: { openedById: userId }, data: { openedById: null } }),
    db.accessReview.updateMany({ where: { completedById: userId }, data: { completedById: null } }),
    db.accessReviewItem.updateMany({ where: { decidedById: userId }, data: { decidedById: null } }),
    db.tenant.updateMany({ where: { deletionRequestedById: userId }, data: { deletionRequestedById: null } }),
  ]);
};

/** The user's own data exports (scope "user"): their archives hold the user's data, so they go too, each from its region's storage. */
const deletePersonalExports = async (userId: string, storage: ObjectStorage | undefined): Promise<number> => {
  const exports = await db.dataExport.findMany({ where: { requestedById: userId, scope: "user" }, select: { id: true, storageKey: true, storageRegion: true } });
  for (const e of exports) if (e.storageKey) await (storage ?? storageForRegion(e.storageRegion)).delete(e.storageKey);
  return (await db.dataExport.deleteMany({ where: { id: { in: exports.map((e) => e.id) } } })).count;
};

export const deleteAccount = async (user: UserCtx, input: { confirmation: string }, deps: { storage?: ObjectStorage } = {}): Promise<{ deleted: true }> => {
  const me = await db.user.findUnique({ where: { id: user.userId }, select: { id: true, email: true } });
  if (!me) throw notFound("Account");
  if (accountDeletionConfirmation(input.confirmation) !== accountDeletionConfirmation(me.email)) {
    throw new AppError("BAD_REQUEST", "confirmationMismatch", "type your e-mail address to confirm");
  }
  const blockers = await soleOwnedWorkspaces(me.id);
  if (blockers.length > 0) {
    throw new AppError("PRECONDITION_FAILED", "soleOwnerOfWorkspaces", "hand over ownership or delete these workspaces first", {
      params: { workspaces: blockers.map((w) => w.name).join(", ") },
    });
  }
  const memberships = await db.membership.findMany({ where: { userId: me.id }, select: { tenantId: true } });
  await anonymiseAuthorship(me.id);
  const exports = await deletePersonalExports(me.id, deps.storage);
  const conversations = await db.conversation.count({ where: { userId: me.id } });
  // One statement: sessions, accounts, memberships, invitations sent and private chats cascade.
  await db.user.delete({ where: { id: me.id } });
  // Each workspace's chain says its member left; the platform chain records the deletion (ids and counts only).
  for (const m of memberships) {
    await recordAudit({ tenantId: m.tenantId, actorId: me.id, actorType: "USER", action: "member.account_deleted", targetType: "user", targetId: me.id, meta: user.meta });
  }
  await appendAuditEvent({
    actorId: me.id,
    actorType: "USER",
    action: "account.deleted",
    targetType: "user",
    targetId: me.id,
    metadata: { memberships: memberships.length, conversations, exports },
    meta: user.meta,
  }).catch((err: unknown) => logger.error({ err }, "account deletion audit write failed"));
  return { deleted: true };
};
