import "server-only";
import { env } from "~/env";
import { emailLocale, emailTranslator } from "~/i18n/email-translator";
import { db } from "~/server/db/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { sendMail } from "~/server/infra/mail";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";

/*
 * Workspace deletion with a grace period (issue 16; docs/policies/data-retention.md).
 *
 * An owner asks, typing the workspace's slug (or its exact name) to confirm. The workspace turns
 * PENDING_DELETION with deletionScheduledFor = now + WORKSPACE_DELETION_GRACE_DAYS (30 by default):
 * read-only for everyone (tenantProcedure and the route kit refuse writes with
 * workspacePendingDeletion), while owners can still read, export and cancel. Every owner is told by
 * e-mail when it is requested and when it is cancelled. Any owner may cancel until the date; then
 * the hourly job purges it (workspace-purge.ts).
 */

const DAY_MS = 86_400_000;

export type WorkspaceDeletionStatus = {
  status: "ACTIVE" | "SUSPENDED" | "PENDING_DELETION" | "DELETED";
  requestedAt: Date | null;
  requestedBy: string | null;
  scheduledFor: Date | null;
  graceDays: number;
  /** What an owner types to confirm: the workspace's slug (its name is accepted too). */
  confirmation: string;
  canManage: boolean;
};

/** The deletion state for the workspace's banner (everyone) and its privacy panel (owners act). */
export const getWorkspaceDeletionStatus = async (ctx: TenantCtx): Promise<WorkspaceDeletionStatus> => {
  const t = await db.tenant.findUnique({ where: { id: ctx.tenantId }, select: { slug: true, status: true, deletionRequestedAt: true, deletionRequestedById: true, deletionScheduledFor: true } });
  if (!t) throw notFound("Workspace");
  const by = t.deletionRequestedById ? await db.user.findUnique({ where: { id: t.deletionRequestedById }, select: { name: true, email: true } }) : null;
  return {
    status: t.status,
    requestedAt: t.deletionRequestedAt,
    requestedBy: by ? (by.name ?? by.email) : null,
    scheduledFor: t.deletionScheduledFor,
    graceDays: env.WORKSPACE_DELETION_GRACE_DAYS,
    confirmation: t.slug,
    canManage: ctx.role === "OWNER",
  };
};

const requireOwner = (ctx: TenantCtx) => {
  if (ctx.role !== "OWNER") throw forbidden("roleTooLow", "Only an owner can delete or restore a workspace");
};

/** Mails every owner of the workspace, each in their own language; a mail failure is logged, never fails the request (the state change stands and is audited). */
const notifyOwners = async (tenantId: string, kind: "deletionRequested" | "deletionCancelled", vars: { workspace: string; actor: string; date?: Date }) => {
  const owners = await db.membership.findMany({ where: { tenantId, role: "OWNER" }, select: { user: { select: { email: true, locale: true } } } });
  for (const { user } of owners) {
    const locale = emailLocale(user.locale);
    const t = emailTranslator(locale);
    const date = vars.date ? new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(vars.date) : "";
    try {
      const values = { workspace: vars.workspace, actor: vars.actor, date };
      await sendMail(
        kind === "deletionRequested"
          ? { to: user.email, subject: t("emails.deletionRequested.subject", values), text: t("emails.deletionRequested.body", values) }
          : { to: user.email, subject: t("emails.deletionCancelled.subject", values), text: t("emails.deletionCancelled.body", values) },
      );
    } catch (err) {
      logger.error({ err, tenantId, kind }, "workspace deletion e-mail failed");
    }
  }
};

const actorName = async (userId: string) => {
  const u = await db.user.findUnique({ where: { id: userId }, select: { name: true, email: true } });
  return u?.name ?? u?.email ?? "";
};

/** An owner schedules the workspace's deletion: typed confirmation, then read-only until the date. */
export const requestWorkspaceDeletion = async (ctx: TenantCtx, input: { confirmation: string }, now = new Date()): Promise<WorkspaceDeletionStatus> => {
  requireOwner(ctx);
  const t = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { slug: true, name: true, status: true } });
  const typed = input.confirmation.trim();
  if (typed !== t.slug && typed !== t.name.trim()) throw new AppError("BAD_REQUEST", "confirmationMismatch", `type "${t.slug}" to confirm`);
  const scheduledFor = new Date(now.getTime() + env.WORKSPACE_DELETION_GRACE_DAYS * DAY_MS);
  // Conditional on ACTIVE: two owners asking at once schedule it once.
  const { count } = await db.tenant.updateMany({
    where: { id: ctx.tenantId, status: "ACTIVE" },
    data: { status: "PENDING_DELETION", deletionRequestedAt: now, deletionRequestedById: ctx.userId, deletionScheduledFor: scheduledFor },
  });
  if (count === 0) throw new AppError("CONFLICT", "deletionAlreadyRequested", "This workspace is already scheduled for deletion");
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "workspace.deletion.requested",
    targetType: "tenant",
    targetId: ctx.tenantId,
    metadata: { scheduledFor: scheduledFor.toISOString(), graceDays: env.WORKSPACE_DELETION_GRACE_DAYS },
    meta: ctx.meta,
  });
  await notifyOwners(ctx.tenantId, "deletionRequested", { workspace: t.name, actor: await actorName(ctx.userId), date: scheduledFor });
  return getWorkspaceDeletionStatus(ctx);
};

/** Any owner cancels a scheduled deletion before its date: the workspace is ACTIVE again. */
export const cancelWorkspaceDeletion = async (ctx: TenantCtx): Promise<WorkspaceDeletionStatus> => {
  requireOwner(ctx);
  const { count } = await db.tenant.updateMany({
    // deletedAt set = the purge has begun (workspace-purge.ts): too late to bring it back.
    where: { id: ctx.tenantId, status: "PENDING_DELETION", deletedAt: null },
    data: { status: "ACTIVE", deletionRequestedAt: null, deletionRequestedById: null, deletionScheduledFor: null },
  });
  if (count === 0) throw new AppError("PRECONDITION_FAILED", "deletionNotRequested", "This workspace is not scheduled for deletion");
  await recordAudit({ tenantId: ctx.tenantId, actorId: ctx.userId, actorType: "USER", action: "workspace.deletion.cancelled", targetType: "tenant", targetId: ctx.tenantId, meta: ctx.meta });
  const t = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { name: true } });
  await notifyOwners(ctx.tenantId, "deletionCancelled", { workspace: t.name, actor: await actorName(ctx.userId) });
  return getWorkspaceDeletionStatus(ctx);
};

/** Workspaces whose grace period is over (the hourly job purges each). */
export const workspacesDueForPurge = async (now = new Date()): Promise<string[]> => {
  const rows = await db.tenant.findMany({ where: { status: "PENDING_DELETION", deletionScheduledFor: { lte: now } }, select: { id: true }, orderBy: { deletionScheduledFor: "asc" }, take: 100 });
  return rows.map((r) => r.id);
};
