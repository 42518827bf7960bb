import { describe, expect, it } from "vitest";
import { addMember, createSession, createTenant, createUser, TEST_META } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { recordAudit } from "../audit/audit";
import { disableUser, enableUser, getUserDetail, revokeUserSessions } from "./users";

const adminActor = async () => ({ adminUserId: (await createUser({ isPlatformAdmin: true })).id, meta: TEST_META });

describe("getUserDetail", () => {
  it("shows memberships, live sessions and the last successful sign-in from the audit trail", async () => {
    const u = await createUser();
    const t = await createTenant();
    await addMember(t.id, u.id, "ADMIN");
    await createSession(u.id);
    await createSession(u.id);
    await db.session.create({ data: { userId: u.id, sessionToken: `expired-${u.id}`, expires: new Date(Date.now() - 1000) } });
    await recordAudit({ actorId: u.id, actorType: "USER", action: "auth.sign_in", targetType: "user", targetId: u.id });
    await recordAudit({ actorId: u.id, actorType: "USER", action: "auth.sign_in", result: "FAILURE", targetType: "user", targetId: u.id });
    const success = await db.auditEvent.findFirstOrThrow({ where: { actorId: u.id, action: "auth.sign_in", result: "SUCCESS" } });

    const d = await getUserDetail(u.id);
    expect(d).toMatchObject({ id: u.id, email: u.email, disabledAt: null, activeSessions: 2, lastSignInAt: success.createdAt });
    expect(d.memberships).toEqual([expect.objectContaining({ tenantId: t.id, tenantSlug: t.slug, role: "ADMIN", tenantStatus: "ACTIVE" })]);
  });

  it("a user who never signed in has no last sign-in", async () => {
    const u = await createUser();
    await expect(getUserDetail(u.id)).resolves.toMatchObject({ lastSignInAt: null, activeSessions: 0, memberships: [] });
  });
});

describe("disableUser / enableUser / revokeUserSessions", () => {
  it("disabling sets disabledAt, ends every session and is audited with the reason", async () => {
    const u = await createUser();
    await createSession(u.id);
    await createSession(u.id);
    const actor = await adminActor();
    const res = await disableUser({ userId: u.id, reason: "Compromised account" }, actor);
    expect(res).toMatchObject({ id: u.id, sessionsEnded: 2 });
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).disabledAt).toEqual(res.disabledAt);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { action: "user.disabled", targetId: u.id } });
    expect(ev).toMatchObject({ chain: "platform", actorId: actor.adminUserId, actorType: "PLATFORM_ADMIN", metadata: { reason: "Compromised account", sessionsEnded: 2 } });
  });

  it("an admin cannot disable their own account", async () => {
    const actor = await adminActor();
    await expect(disableUser({ userId: actor.adminUserId, reason: "oops oops" }, actor)).rejects.toMatchObject({ code: "CONFLICT", reason: "cannotDisableSelf" });
    expect((await db.user.findUniqueOrThrow({ where: { id: actor.adminUserId } })).disabledAt).toBeNull();
  });

  it("enabling clears disabledAt", async () => {
    const u = await createUser();
    const actor = await adminActor();
    await disableUser({ userId: u.id, reason: "Temporary hold" }, actor);
    await expect(enableUser({ userId: u.id }, actor)).resolves.toEqual({ id: u.id, disabledAt: null });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).disabledAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.enabled", targetId: u.id } })).toBe(1);
  });

  it("revoking sessions signs the user out everywhere but leaves the account usable", async () => {
    const u = await createUser();
    const other = await createUser();
    await createSession(u.id);
    await createSession(other.id);
    const actor = await adminActor();
    await expect(revokeUserSessions({ userId: u.id }, actor)).resolves.toEqual({ id: u.id, sessionsEnded: 1 });
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: other.id } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).disabledAt).toBeNull();
  });

  it("unknown users are NOT_FOUND", async () => {
    const actor = await adminActor();
    await expect(disableUser({ userId: "nope", reason: "x y z" }, actor)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(enableUser({ userId: "nope" }, actor)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeUserSessions({ userId: "nope" }, actor)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getUserDetail("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
