import { describe, expect, it } from "vitest";
import { createSession, createUser, DEFAULT_PASSWORD, uid, userCtxOf } from "../../../../prisma/factories";
import { LEGAL_VERSION } from "~/lib/legal";
import { db } from "~/server/db/client";
import { verifyPassword } from "~/server/infra/password";
import { getMe, setLocale, signOutEverywhere, signUp } from "./users";

// Each test uses its own IP so the sign-up rate limit (per IP) never interferes.
const meta = () => ({ ip: `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`, userAgent: "vitest" });

describe("signUp", () => {
  it("creates a user with a lowercased email and a scrypt hash, and audits it", async () => {
    const email = `New-${uid()}@Example.test`;
    const res = await signUp({ email, name: "New Person", password: DEFAULT_PASSWORD, locale: "es", appUrl: "http://localhost:3000" }, meta());
    expect(res.email).toBe(email.toLowerCase());
    const row = await db.user.findUniqueOrThrow({ where: { id: res.id } });
    expect(row).toMatchObject({ name: "New Person", locale: "es", isPlatformAdmin: false, legalVersionAccepted: LEGAL_VERSION, legalAcceptedAt: expect.any(Date) });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(DEFAULT_PASSWORD, row.passwordHash!)).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "user.signed_up", actorId: res.id, chain: "platform" } })).toBe(1);
    // Unverified until the mailed link is opened (pre-hijacking; services/verification).
    expect(row.emailVerified).toBeNull();
    const mail = await db.devMail.findFirstOrThrow({ where: { to: email.toLowerCase() } });
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/es\/verify-email\?token=[A-Za-z0-9_-]{43}/);
  });

  it("a duplicate email (any case) is CONFLICT emailTaken and creates nothing", async () => {
    const existing = await createUser();
    const before = await db.user.count();
    await expect(signUp({ email: existing.email.toUpperCase(), name: "Dup", password: DEFAULT_PASSWORD, locale: "en", appUrl: "http://localhost:3000" }, meta())).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "emailTaken",
    });
    expect(await db.user.count()).toBe(before);
  });
});

describe("signOutEverywhere", () => {
  it("deletes every Session row of the user and only theirs", async () => {
    const [u, other] = await Promise.all([createUser(), createUser()]);
    await Promise.all([createSession(u.id), createSession(u.id), createSession(u.id), createSession(other.id)]);
    expect((await getMe(userCtxOf(u))).activeSessions).toBe(3);
    await expect(signOutEverywhere(userCtxOf(u))).resolves.toEqual({ sessionsEnded: 3 });
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: other.id } })).toBe(1);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signed_out_everywhere", actorId: u.id } });
    expect(ev.metadata).toEqual({ sessions: 3 });
  });
});

describe("getMe / setLocale", () => {
  it("returns the profile and remembers the locale", async () => {
    const u = await createUser({ isPlatformAdmin: true });
    await setLocale(userCtxOf(u), "es");
    expect(await getMe(userCtxOf(u))).toEqual({ id: u.id, email: u.email, name: u.name, locale: "es", isPlatformAdmin: true, activeSessions: 0, legalVersionAccepted: null, legalAcceptedAt: null });
  });
});
