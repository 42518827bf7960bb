import "server-only";
import { z } from "zod";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { RequestMeta } from "../context";

/*
 * Granting and revoking platform-admin powers (User.isPlatformAdmin), the
 * in-product replacement for the runbook's SQL. The flag is re-read from the
 * database on every request (src/server/auth/config.ts, jwt callback), so a
 * change applies on the user's next request; a revoke also ends their
 * sessions, so a compromised admin is out at once rather than demoted in place.
 *
 * Both are audited on the platform chain with the reason (on top of the
 * platformAdminProcedure event of the call). The actor is a platform admin
 * (tRPC) or SYSTEM (`npm run admin:grant`, the bootstrap of the first admin).
 */

export const ZPlatformAdminChange = z.object({
  userId: z.string().trim().min(1).max(100),
  /** Why: kept in the audit trail for the next access review. */
  reason: z.string().trim().min(3).max(500),
});
export type TPlatformAdminChange = z.infer<typeof ZPlatformAdminChange>;

/** Who changes the flag: a platform admin (their user id) or the system (the bootstrap CLI). */
export type PlatformAdminActor = { adminUserId: string; meta: RequestMeta } | { system: "cli"; meta?: RequestMeta };

const actorFields = (actor: PlatformAdminActor) =>
  "adminUserId" in actor ? { actorId: actor.adminUserId, actorType: "PLATFORM_ADMIN" as const, meta: actor.meta } : { actorId: null, actorType: "SYSTEM" as const, meta: actor.meta };

// One writer at a time for the set of admins: two admins revoking each other at
// the same moment must not both succeed and leave nobody.
const lockAdmins = (tx: Pick<typeof db, "$executeRaw">) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('platform-admins'))`;

/**
 * Makes the user a platform admin. Refused for a disabled account and for one
 * that never verified its email (it could be an address someone else
 * registered, src/server/services/verification/). Granting to an admin changes
 * and records nothing.
 */
export const grantPlatformAdmin = async (raw: TPlatformAdminChange, actor: PlatformAdminActor) => {
  const input = ZPlatformAdminChange.parse(raw);
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, isPlatformAdmin: true, disabledAt: true, emailVerified: true } });
  if (!user) throw notFound("User");
  if (user.disabledAt) throw new AppError("CONFLICT", "accountDisabled", "A disabled account cannot be made a platform admin");
  if (!user.emailVerified) throw new AppError("CONFLICT", "accountUnverified", "The account has not verified its email address");
  if (user.isPlatformAdmin) return { id: user.id, isPlatformAdmin: true, changed: false, sessionsEnded: 0 };
  const { count } = await db.user.updateMany({ where: { id: user.id, isPlatformAdmin: false }, data: { isPlatformAdmin: true } });
  if (count === 0) return { id: user.id, isPlatformAdmin: true, changed: false, sessionsEnded: 0 }; // granted concurrently
  await recordAudit({ ...actorFields(actor), action: "user.platform_admin_granted", targetType: "user", targetId: user.id, metadata: { reason: input.reason } });
  return { id: user.id, isPlatformAdmin: true, changed: true, sessionsEnded: 0 };
};

/**
 * Takes platform-admin powers away and ends every session of the user, in one
 * transaction. Refused for the caller's own account (a lock-out with no one to
 * undo it; another admin must do it) and when no other active (not disabled)
 * platform admin would remain. Revoking a non-admin changes and records nothing.
 */
export const revokePlatformAdmin = async (raw: TPlatformAdminChange, actor: PlatformAdminActor) => {
  const input = ZPlatformAdminChange.parse(raw);
  if ("adminUserId" in actor && actor.adminUserId === input.userId) {
    throw new AppError("CONFLICT", "cannotRevokeSelf", "You cannot remove your own platform-admin role");
  }
  const outcome = await db.$transaction(async (tx) => {
    await lockAdmins(tx);
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, isPlatformAdmin: true } });
    if (!user) throw notFound("User");
    if (!user.isPlatformAdmin) return { changed: false, sessionsEnded: 0 };
    const others = await tx.user.count({ where: { isPlatformAdmin: true, disabledAt: null, id: { not: user.id } } });
    if (others === 0) throw new AppError("CONFLICT", "lastPlatformAdmin", "The last platform admin cannot be removed");
    await tx.user.update({ where: { id: user.id }, data: { isPlatformAdmin: false } });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    return { changed: true, sessionsEnded: count };
  });
  if (outcome.changed) {
    await recordAudit({
      ...actorFields(actor),
      action: "user.platform_admin_revoked",
      targetType: "user",
      targetId: input.userId,
      metadata: { reason: input.reason, sessionsEnded: outcome.sessionsEnded },
    });
  }
  return { id: input.userId, isPlatformAdmin: false, ...outcome };
};
