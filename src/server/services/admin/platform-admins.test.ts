import { describe, expect, it } from "vitest";
import { createSession, createUser, TEST_META } from "../../../../prisma/factories";
import { sessionCookieFor } from "../../../../tests/support/session-cookie";
import { callerFor } from "../../../../tests/support/trpc";
import en from "~/i18n/messages/en.json";
import es from "~/i18n/messages/es.json";
import { db } from "~/server/db/client";
import { sessionUserOf } from "~/server/http/session-user";
import { PLATFORM_CHAIN } from "../audit/audit";
import { grantPlatformAdmin, revokePlatformAdmin } from "./platform-admins";

const admin = () => createUser({ isPlatformAdmin: true });
const actorOf = (user: { id: string }) => ({ adminUserId: user.id, meta: TEST_META });
const eventsOf = (action: string, targetId: string) => db.auditEvent.findMany({ where: { action, targetId }, orderBy: { seq: "asc" } });
const flagOf = async (userId: string) => (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { isPlatformAdmin: true } })).isPlatformAdmin;
const requestWith = (cookie: string) => new Request("http://localhost:3000/api/anything", { headers: { cookie, "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http" } });

/**
 * Runs `fn` with `keep` as the only platform admins. Test files run one at a
 * time (vitest.config.ts) against this run's own database, so hiding the other
 * files' admins for one test touches no other test; they are restored after.
 */
const withOnlyAdmins = async (keep: string[], fn: () => Promise<void>) => {
  const hidden = (await db.user.findMany({ where: { isPlatformAdmin: true, id: { notIn: keep } }, select: { id: true } })).map((u) => u.id);
  await db.user.updateMany({ where: { id: { in: hidden } }, data: { isPlatformAdmin: false } });
  try {
    await fn();
  } finally {
    await db.user.updateMany({ where: { id: { in: hidden } }, data: { isPlatformAdmin: true } });
  }
};

describe("grantPlatformAdmin", () => {
  it("makes the user a platform admin at their next request, audited on the platform chain with the reason; a second grant records nothing", async () => {
    const staff = await admin();
    const user = await createUser();
    const cookie = await sessionCookieFor(user);
    expect(await sessionUserOf(requestWith(cookie))).toEqual({ id: user.id, isPlatformAdmin: false });

    await expect(grantPlatformAdmin({ userId: user.id, reason: "Joins the on-call rota" }, actorOf(staff))).resolves.toEqual({
      id: user.id,
      isPlatformAdmin: true,
      changed: true,
      sessionsEnded: 0,
    });
    // The same cookie, no new sign-in: the flag is re-read on every request.
    expect(await sessionUserOf(requestWith(cookie))).toEqual({ id: user.id, isPlatformAdmin: true });
    const [ev] = await eventsOf("user.platform_admin_granted", user.id);
    expect(ev).toMatchObject({ chain: PLATFORM_CHAIN, actorId: staff.id, actorType: "PLATFORM_ADMIN", targetType: "user", result: "SUCCESS", metadata: { reason: "Joins the on-call rota" } });

    await expect(grantPlatformAdmin({ userId: user.id, reason: "Again" }, actorOf(staff))).resolves.toMatchObject({ changed: false });
    expect(await eventsOf("user.platform_admin_granted", user.id)).toHaveLength(1);
  });

  it("as SYSTEM (the bootstrap CLI): audited with no actor id", async () => {
    const user = await createUser();
    await grantPlatformAdmin({ userId: user.id, reason: "First admin" }, { system: "cli" });
    expect(await flagOf(user.id)).toBe(true);
    expect((await eventsOf("user.platform_admin_granted", user.id))[0]).toMatchObject({ chain: PLATFORM_CHAIN, actorId: null, actorType: "SYSTEM", metadata: { reason: "First admin" } });
  });

  it("refuses a disabled account, an unverified one and an unknown id, and a bad reason; nothing changes or is recorded", async () => {
    const staff = await admin();
    const disabled = await createUser();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const unverified = await createUser({ emailVerified: false });
    await expect(grantPlatformAdmin({ userId: disabled.id, reason: "Why not" }, actorOf(staff))).rejects.toMatchObject({ code: "CONFLICT", reason: "accountDisabled" });
    await expect(grantPlatformAdmin({ userId: unverified.id, reason: "Why not" }, actorOf(staff))).rejects.toMatchObject({ code: "CONFLICT", reason: "accountUnverified" });
    await expect(grantPlatformAdmin({ userId: "no-such-user", reason: "Why not" }, actorOf(staff))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(grantPlatformAdmin({ userId: disabled.id, reason: " x " }, actorOf(staff))).rejects.toThrow();
    expect([await flagOf(disabled.id), await flagOf(unverified.id)]).toEqual([false, false]);
    expect(await db.auditEvent.count({ where: { action: "user.platform_admin_granted", targetId: { in: [disabled.id, unverified.id] } } })).toBe(0);
  });
});

describe("revokePlatformAdmin", () => {
  it("removes the role and ends every session at once, audited with the reason and the count", async () => {
    const staff = await admin();
    const target = await admin();
    const cookie = await sessionCookieFor(target);
    await createSession(target.id);
    expect(await sessionUserOf(requestWith(cookie))).toEqual({ id: target.id, isPlatformAdmin: true });

    await expect(revokePlatformAdmin({ userId: target.id, reason: "Left the team" }, actorOf(staff))).resolves.toEqual({
      id: target.id,
      isPlatformAdmin: false,
      changed: true,
      sessionsEnded: 2,
    });
    expect(await flagOf(target.id)).toBe(false);
    expect(await db.session.count({ where: { userId: target.id } })).toBe(0);
    // The cookie that worked a moment ago is refused: the change is immediate.
    expect(await sessionUserOf(requestWith(cookie))).toBeNull();
    const [ev] = await eventsOf("user.platform_admin_revoked", target.id);
    expect(ev).toMatchObject({ chain: PLATFORM_CHAIN, actorId: staff.id, actorType: "PLATFORM_ADMIN", metadata: { reason: "Left the team", sessionsEnded: 2 } });
  });

  it("refuses your own account; a non-admin target changes nothing and keeps its sessions", async () => {
    const staff = await admin();
    await expect(revokePlatformAdmin({ userId: staff.id, reason: "Stepping down" }, actorOf(staff))).rejects.toMatchObject({ code: "CONFLICT", reason: "cannotRevokeSelf" });
    expect(await flagOf(staff.id)).toBe(true);
    const plain = await createUser();
    await createSession(plain.id);
    await expect(revokePlatformAdmin({ userId: plain.id, reason: "Tidy up" }, actorOf(staff))).resolves.toEqual({ id: plain.id, isPlatformAdmin: false, changed: false, sessionsEnded: 0 });
    expect(await db.session.count({ where: { userId: plain.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "user.platform_admin_revoked", targetId: { in: [staff.id, plain.id] } } })).toBe(0);
  });

  it("never removes the last active platform admin (a disabled admin does not count)", async () => {
    const last = await admin();
    const disabledAdmin = await admin();
    await db.user.update({ where: { id: disabledAdmin.id }, data: { disabledAt: new Date() } });
    // The caller's own role was revoked a moment ago, but their request was already past the check.
    const stale = await createUser();
    await withOnlyAdmins([last.id, disabledAdmin.id], async () => {
      await expect(revokePlatformAdmin({ userId: last.id, reason: "Oops" }, actorOf(stale))).rejects.toMatchObject({ code: "CONFLICT", reason: "lastPlatformAdmin" });
      expect(await flagOf(last.id)).toBe(true);
    });
  });

  it("two admins revoking each other at the same moment: exactly one wins, one admin remains", async () => {
    const a = await admin();
    const b = await admin();
    await withOnlyAdmins([a.id, b.id], async () => {
      const results = await Promise.allSettled([
        revokePlatformAdmin({ userId: b.id, reason: "Race" }, actorOf(a)),
        revokePlatformAdmin({ userId: a.id, reason: "Race" }, actorOf(b)),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { reason: "lastPlatformAdmin" } });
      expect([await flagOf(a.id), await flagOf(b.id)].filter(Boolean)).toHaveLength(1);
    });
  });
});

describe("admin.grantPlatformAdmin / admin.revokePlatformAdmin through the router", () => {
  it("validates the input (a reason of 3..500 characters) and answers the service's reasons", async () => {
    const staff = await admin();
    const user = await createUser();
    await expect(callerFor(staff).admin.grantPlatformAdmin({ userId: user.id, reason: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(staff).admin.revokePlatformAdmin({ userId: staff.id, reason: "Myself" })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "cannotRevokeSelf" } });
    await expect(callerFor(staff).admin.grantPlatformAdmin({ userId: user.id, reason: "Support rota" })).resolves.toMatchObject({ changed: true });
    await expect(callerFor(staff).admin.revokePlatformAdmin({ userId: user.id, reason: "Rota ended" })).resolves.toMatchObject({ changed: true });
  });

  it("every reason these actions refuse with has a message in both locales", () => {
    for (const reason of ["accountDisabled", "accountUnverified", "cannotRevokeSelf", "lastPlatformAdmin"]) {
      expect((en.errors as Record<string, string>)[reason], `en errors.${reason}`).toBeTruthy();
      expect((es.errors as Record<string, string>)[reason], `es errors.${reason}`).toBeTruthy();
    }
  });
});
