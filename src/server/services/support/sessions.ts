import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { appendAuditEvent, recordAudit } from "~/server/services/audit/audit";
import type { RequestMeta, UserCtx } from "~/server/services/context";

/*
 * Support access ("break-glass"). A platform admin has no access to a tenant's
 * content by default (tenantProcedure answers NOT_FOUND to non-members). To
 * read it they open a support session for ONE tenant with a written reason and
 * a duration of at most two hours. The session:
 *  - is audited on the platform chain AND the tenant's own chain (so the
 *    tenant sees it in their Audit page) and leaves a notice for the owners;
 *  - ends by itself: expiry is decided by the database clock (`now()`) in the
 *    same query that looks the session up — never by anything the client sends
 *    and never by the app server's clock, which may drift from the one that
 *    wrote `expiresAt` (also the database's);
 *  - can be ended early by the admin who opened it.
 * Reads inside a session live in ./reads.ts.
 */

export const SUPPORT_MIN_MINUTES = 5;
export const SUPPORT_MAX_MINUTES = 120;
export const SUPPORT_NOTICE_KIND = "support_session.opened";

export const ZOpenSupportSessionInput = z.object({
  tenantId: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(10).max(500),
  durationMinutes: z.number().int().min(SUPPORT_MIN_MINUTES).max(SUPPORT_MAX_MINUTES),
});
export type TOpenSupportSessionInput = z.infer<typeof ZOpenSupportSessionInput>;

export const SUPPORT_SESSION_STATUSES = ["active", "ended", "expired"] as const;
export type TSupportSessionStatus = (typeof SUPPORT_SESSION_STATUSES)[number];

type SessionRow = { id: string; tenantId: string; adminId: string; reason: string; startedAt: Date; expiresAt: Date; endedAt: Date | null };

/** The admin acting, with where from (carried into the audit events). */
export type SupportAdmin = Pick<UserCtx, "userId" | "meta">;

/** What a read needs to know: which session authorises it. */
export type SupportReadCtx = { sessionId: string; tenantId: string; adminUserId: string; reason: string; expiresAt: Date; meta: RequestMeta };

const statusOf = (s: Pick<SessionRow, "endedAt" | "expiresAt">, now: Date): TSupportSessionStatus =>
  s.endedAt ? "ended" : s.expiresAt.getTime() > now.getTime() ? "active" : "expired";

const adminLabel = async (adminId: string) => {
  const u = await db.user.findUnique({ where: { id: adminId }, select: { email: true, name: true } });
  return { adminEmail: u?.email ?? null, adminName: u?.name ?? null };
};

/** The database's clock; expiry is always judged by it. */
const dbNow = async (): Promise<Date> => (await db.$queryRaw<{ now: Date }[]>`SELECT now() AS "now"`)[0]!.now;

/**
 * Opens a support session for one tenant. One live session per admin and
 * tenant (CONFLICT `supportSessionAlreadyActive`): end it first, so every
 * session has exactly one reason. The tenant-chain audit event is written
 * before this returns and a failure to write it cancels the session: an
 * unannounced session must not exist.
 */
export const openSupportSession = async (admin: SupportAdmin, input: TOpenSupportSessionInput) => {
  const parsed = ZOpenSupportSessionInput.parse(input);
  const tenant = await db.tenant.findUnique({ where: { id: parsed.tenantId }, select: { id: true, slug: true, name: true } });
  if (!tenant) throw notFound("Workspace");

  const session = await db.$transaction(async (tx) => {
    // Serialise opens for this (admin, tenant) so two clicks cannot open two sessions.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`support:${admin.userId}:${tenant.id}`}))`;
    const live = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "SupportSession"
      WHERE "adminId" = ${admin.userId} AND "tenantId" = ${tenant.id} AND "endedAt" IS NULL AND "expiresAt" > now()
      LIMIT 1`;
    if (live.length > 0) throw new AppError("CONFLICT", "supportSessionAlreadyActive", "You already have an active support session for this workspace");
    // startedAt and expiresAt both come from the database clock, the one every check uses.
    const rows = await tx.$queryRaw<SessionRow[]>`
      INSERT INTO "SupportSession" ("id", "tenantId", "adminId", "reason", "startedAt", "expiresAt")
      VALUES (${randomUUID()}, ${tenant.id}, ${admin.userId}, ${parsed.reason}, now(), now() + make_interval(mins => ${parsed.durationMinutes}::int))
      RETURNING "id", "tenantId", "adminId", "reason", "startedAt", "expiresAt", "endedAt"`;
    return rows[0]!;
  });

  const who = await adminLabel(admin.userId);
  const metadata = {
    sessionId: session.id,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    reason: session.reason,
    adminEmail: who.adminEmail,
    adminName: who.adminName,
    durationMinutes: parsed.durationMinutes,
    startedAt: session.startedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
  const event = { actorId: admin.userId, actorType: "PLATFORM_ADMIN" as const, action: "support_session.opened", targetType: "SupportSession", targetId: session.id, metadata, meta: admin.meta };
  try {
    await appendAuditEvent({ ...event, tenantId: tenant.id });
  } catch (err) {
    await db.supportSession.update({ where: { id: session.id }, data: { endedAt: new Date() } }).catch(() => undefined);
    throw new AppError("SERVICE_UNAVAILABLE", "auditUnavailable", "The support session could not be recorded; try again", { cause: err });
  }
  await recordAudit({ ...event, tenantId: null });
  await db.tenantNotice.create({
    data: {
      tenantId: tenant.id,
      kind: SUPPORT_NOTICE_KIND,
      data: { sessionId: session.id, reason: session.reason, adminName: who.adminName, adminEmail: who.adminEmail, expiresAt: session.expiresAt.toISOString() },
    },
  });
  return { ...session, tenantSlug: tenant.slug, tenantName: tenant.name, status: "active" as const };
};

/** Ends one of the admin's own live sessions early (others' sessions: NOT_FOUND; already over: CONFLICT). */
export const endSupportSession = async (admin: SupportAdmin, input: { id: string }) => {
  const rows = await db.$queryRaw<SessionRow[]>`
    UPDATE "SupportSession" SET "endedAt" = now()
    WHERE "id" = ${input.id} AND "adminId" = ${admin.userId} AND "endedAt" IS NULL AND "expiresAt" > now()
    RETURNING "id", "tenantId", "adminId", "reason", "startedAt", "expiresAt", "endedAt"`;
  const ended = rows[0];
  if (!ended) {
    const exists = await db.supportSession.findFirst({ where: { id: input.id, adminId: admin.userId }, select: { id: true } });
    if (!exists) throw new AppError("NOT_FOUND", "notFound", "Support session not found");
    throw new AppError("CONFLICT", "supportSessionNotActive", "This support session is already over");
  }
  const tenant = await db.tenant.findUnique({ where: { id: ended.tenantId }, select: { slug: true, name: true } });
  const who = await adminLabel(admin.userId);
  const metadata = { sessionId: ended.id, tenantId: ended.tenantId, reason: ended.reason, adminEmail: who.adminEmail, adminName: who.adminName, endedAt: ended.endedAt!.toISOString() };
  const event = { actorId: admin.userId, actorType: "PLATFORM_ADMIN" as const, action: "support_session.ended", targetType: "SupportSession", targetId: ended.id, metadata, meta: admin.meta };
  await recordAudit({ ...event, tenantId: ended.tenantId });
  await recordAudit({ ...event, tenantId: null });
  return { ...ended, tenantSlug: tenant?.slug ?? "", tenantName: tenant?.name ?? "", status: "ended" as const };
};

/** The admin's own sessions, newest first, with their status by the database clock. */
export const listSupportSessions = async (admin: SupportAdmin, input: { status?: TSupportSessionStatus; take?: number } = {}) => {
  const take = Math.min(Math.max(input.take ?? 50, 1), 200);
  const now = await dbNow();
  const where =
    input.status === "active"
      ? { endedAt: null, expiresAt: { gt: now } }
      : input.status === "expired"
        ? { endedAt: null, expiresAt: { lte: now } }
        : input.status === "ended"
          ? { endedAt: { not: null } }
          : {};
  const rows = await db.supportSession.findMany({
    where: { adminId: admin.userId, ...where },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take,
    include: { tenant: { select: { slug: true, name: true } } },
  });
  return {
    now,
    items: rows.map(({ tenant, ...s }) => ({ ...s, tenantSlug: tenant.slug, tenantName: tenant.name, status: statusOf(s, now) })),
  };
};

/** One of the admin's own sessions (the read view's header). */
export const getSupportSession = async (admin: SupportAdmin, input: { id: string }) => {
  const s = await db.supportSession.findFirst({ where: { id: input.id, adminId: admin.userId }, include: { tenant: { select: { slug: true, name: true } } } });
  if (!s) throw new AppError("NOT_FOUND", "notFound", "Support session not found");
  const now = await dbNow();
  const { tenant, ...rest } = s;
  return { ...rest, tenantSlug: tenant.slug, tenantName: tenant.name, status: statusOf(rest, now), now };
};

/**
 * The gate of every support read: the admin's live session for this tenant.
 * Liveness (`endedAt IS NULL AND expiresAt > now()`) is evaluated by the
 * database in this query. No live session → FORBIDDEN `supportSessionRequired`;
 * the latest one ran out → FORBIDDEN `supportSessionExpired`.
 */
export const supportReadContext = async (adminUserId: string, tenantId: string, meta: RequestMeta = {}): Promise<SupportReadCtx> => {
  const rows = await db.$queryRaw<(SessionRow & { live: boolean })[]>`
    SELECT "id", "tenantId", "adminId", "reason", "startedAt", "expiresAt", "endedAt", ("endedAt" IS NULL AND "expiresAt" > now()) AS "live"
    FROM "SupportSession"
    WHERE "adminId" = ${adminUserId} AND "tenantId" = ${tenantId}
    ORDER BY ("endedAt" IS NULL AND "expiresAt" > now()) DESC, "startedAt" DESC
    LIMIT 1`;
  const s = rows[0];
  if (s?.live) return { sessionId: s.id, tenantId: s.tenantId, adminUserId, reason: s.reason, expiresAt: s.expiresAt, meta };
  // Ran out by itself (not ended by hand): say so, the UI offers to open a new one.
  if (s && s.endedAt === null) throw new AppError("FORBIDDEN", "supportSessionExpired", "The support session has expired");
  throw new AppError("FORBIDDEN", "supportSessionRequired", "Open a support session for this workspace first");
};
