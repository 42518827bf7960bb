import "server-only";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { AdminActor } from "./tenants";

// Platform-admin views and actions on one user account. Sessions are JWT
// cookies naming a Session row (see src/server/auth/config.ts): deleting the
// rows signs the user out everywhere on their next request, and the jwt
// callback and the password sign-in both refuse a user with disabledAt set.

export const getUserDetail = async (userId: string, now = new Date()) => {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, isPlatformAdmin: true, disabledAt: true, createdAt: true, locale: true },
  });
  if (!user) throw notFound("User");
  const [memberships, activeSessions, lastSignIn] = await Promise.all([
    db.membership.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, tenant: { select: { id: true, slug: true, name: true, status: true } } },
    }),
    db.session.count({ where: { userId, expires: { gt: now } } }),
    // Sign-ins are audited (auth.sign_in on the platform chain); there is no column for it.
    db.auditEvent.findFirst({
      where: { actorId: userId, action: "auth.sign_in", result: "SUCCESS" },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    }),
  ]);
  return {
    ...user,
    memberships: memberships.map((m) => ({ role: m.role, joinedAt: m.createdAt, tenantId: m.tenant.id, tenantSlug: m.tenant.slug, tenantName: m.tenant.name, tenantStatus: m.tenant.status })),
    activeSessions,
    lastSignInAt: lastSignIn?.createdAt ?? null,
  };
};

const existingUser = async (userId: string) => {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, disabledAt: true } });
  if (!user) throw notFound("User");
  return user;
};

/**
 * Disables an account: sets disabledAt and ends every session in one
 * transaction, so there is no moment where the user is disabled but still
 * signed in somewhere. Admins cannot disable themselves (a lock-out with no
 * one left to undo it). Disabling a disabled user only revokes any sessions.
 */
export const disableUser = async (input: { userId: string; reason: string }, actor: AdminActor) => {
  if (input.userId === actor.adminUserId) throw new AppError("CONFLICT", "cannotDisableSelf", "You cannot disable your own account");
  const user = await existingUser(input.userId);
  const disabledAt = user.disabledAt ?? new Date();
  const [, revoked] = await db.$transaction([
    db.user.update({ where: { id: input.userId }, data: { disabledAt } }),
    db.session.deleteMany({ where: { userId: input.userId } }),
  ]);
  await recordAudit({
    actorId: actor.adminUserId,
    actorType: "PLATFORM_ADMIN",
    action: "user.disabled",
    targetType: "user",
    targetId: input.userId,
    metadata: { reason: input.reason, sessionsEnded: revoked.count },
    meta: actor.meta,
  });
  return { id: input.userId, disabledAt, sessionsEnded: revoked.count };
};

/** Lets a disabled user sign in again (their old sessions stay ended). */
export const enableUser = async (input: { userId: string }, actor: AdminActor) => {
  await existingUser(input.userId);
  await db.user.update({ where: { id: input.userId }, data: { disabledAt: null } });
  await recordAudit({ actorId: actor.adminUserId, actorType: "PLATFORM_ADMIN", action: "user.enabled", targetType: "user", targetId: input.userId, meta: actor.meta });
  return { id: input.userId, disabledAt: null };
};

/** Signs the user out on every device; the account stays usable. */
export const revokeUserSessions = async (input: { userId: string }, actor: AdminActor) => {
  await existingUser(input.userId);
  const { count } = await db.session.deleteMany({ where: { userId: input.userId } });
  await recordAudit({
    actorId: actor.adminUserId,
    actorType: "PLATFORM_ADMIN",
    action: "user.sessions_revoked",
    targetType: "user",
    targetId: input.userId,
    metadata: { sessionsEnded: count },
    meta: actor.meta,
  });
  return { id: input.userId, sessionsEnded: count };
};
