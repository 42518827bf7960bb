import "server-only";
import type { TRole } from "~/lib/roles";
import { db, type Db } from "~/server/db/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";

export const listMembers = async (ctx: TenantCtx) => {
  const rows = await db.membership.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: [{ createdAt: "asc" }],
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((m) => ({
    id: m.id,
    role: m.role,
    joinedAt: m.createdAt,
    userId: m.user.id,
    email: m.user.email,
    name: m.user.name,
    isSelf: m.user.id === ctx.userId,
  }));
};

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Runs `fn` in a transaction holding the tenant's membership lock, so two
 * concurrent demotions cannot both pass the "last owner" check. Every query in
 * `fn` must use `tx` (audit events are written after it commits).
 */
const withMembershipLock = <T>(tenantId: string, fn: (tx: Tx) => Promise<T>) =>
  db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`membership:${tenantId}`}))`;
    return fn(tx);
  });

const findMembership = async (tx: Tx, ctx: TenantCtx, membershipId: string) => {
  // tenantId in the where clause: a membership id from another tenant is simply not found.
  const m = await tx.membership.findFirst({ where: { id: membershipId, tenantId: ctx.tenantId }, select: { id: true, role: true, userId: true } });
  if (!m) throw notFound("Member");
  return m;
};

const ownerCount = (tx: Tx, tenantId: string) => tx.membership.count({ where: { tenantId, role: "OWNER" } });

/**
 * Changes a member's role. Owners only. The last owner cannot be demoted, so a
 * workspace always has someone who can manage it.
 */
export const changeMemberRole = async (ctx: TenantCtx, input: { membershipId: string; role: TRole }) => {
  if (ctx.role !== "OWNER") throw forbidden("roleTooLow", "Only owners can change roles");
  const { target, updated } = await withMembershipLock(ctx.tenantId, async (tx) => {
    const target = await findMembership(tx, ctx, input.membershipId);
    if (target.role === input.role) return { target, updated: null };
    if (target.role === "OWNER" && input.role !== "OWNER" && (await ownerCount(tx, ctx.tenantId)) <= 1) {
      throw new AppError("PRECONDITION_FAILED", "lastOwner", "The last owner cannot be demoted");
    }
    const updated = await tx.membership.update({ where: { id: target.id }, data: { role: input.role }, select: { id: true, role: true } });
    return { target, updated };
  });
  if (!updated) return { id: target.id, role: target.role };
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "member.role_changed",
    targetType: "user",
    targetId: target.userId,
    metadata: { from: target.role, to: input.role },
    meta: ctx.meta,
  });
  return updated;
};

/**
 * Removes a member. Admins may remove members and viewers; removing an admin or
 * an owner takes an owner. Access ends at once: every tenant request re-checks
 * membership, so the removed user's next request is NOT_FOUND.
 */
export const removeMember = async (ctx: TenantCtx, input: { membershipId: string }) => {
  const target = await withMembershipLock(ctx.tenantId, async (tx) => {
    const target = await findMembership(tx, ctx, input.membershipId);
    if (target.userId === ctx.userId) throw new AppError("BAD_REQUEST", "useLeave", "Use 'leave workspace' to remove yourself");
    if ((target.role === "OWNER" || target.role === "ADMIN") && ctx.role !== "OWNER") {
      throw forbidden("roleTooLow", "Only owners can remove admins and owners");
    }
    if (target.role === "OWNER" && (await ownerCount(tx, ctx.tenantId)) <= 1) {
      throw new AppError("PRECONDITION_FAILED", "lastOwner", "The last owner cannot be removed");
    }
    await tx.membership.delete({ where: { id: target.id } });
    return target;
  });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "member.removed",
    targetType: "user",
    targetId: target.userId,
    metadata: { role: target.role },
    meta: ctx.meta,
  });
  return { id: target.id };
};

/** The caller leaves the workspace; the last owner must hand over first. */
export const leaveTenant = async (ctx: TenantCtx) => {
  await withMembershipLock(ctx.tenantId, async (tx) => {
    if (ctx.role === "OWNER" && (await ownerCount(tx, ctx.tenantId)) <= 1) {
      throw new AppError("PRECONDITION_FAILED", "lastOwner", "The last owner cannot leave; make someone else an owner first");
    }
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: ctx.tenantId, userId: ctx.userId } } });
  });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "member.left",
    targetType: "user",
    targetId: ctx.userId,
    meta: ctx.meta,
  });
  return { left: true as const };
};
