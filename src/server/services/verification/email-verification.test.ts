import { describe, expect, it } from "vitest";
import { createSession, createUser, DEFAULT_PASSWORD, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { signUp } from "../users/users";
import { discardUnverifiedPassword, verifyEmail } from "./email-verification";

const meta = () => ({ ip: `10.9.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`, userAgent: "vitest" });

/** Signs up and returns the token from the mailed link, as the recipient would see it. */
const signUpWithLink = async () => {
  const email = `verify-${uid()}@example.test`;
  const user = await signUp({ email, name: "V", password: DEFAULT_PASSWORD, locale: "en", appUrl: "http://localhost:3000" }, meta());
  const mail = await db.devMail.findFirstOrThrow({ where: { to: email }, orderBy: { createdAt: "desc" } });
  const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  return { email, user, token };
};

describe("email verification", () => {
  it("the link verifies the address once; the token is stored only as a hash", async () => {
    const { email, user, token } = await signUpWithLink();
    const stored = await db.verificationToken.findMany({ where: { identifier: `verify-email:${email}` } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token).not.toBe(token);
    expect(stored[0]!.token).toMatch(/^[0-9a-f]{64}$/);

    expect(await verifyEmail(token, meta())).toEqual({ status: "verified", email });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeInstanceOf(Date);
    expect(await db.auditEvent.count({ where: { action: "user.email_verified", actorId: user.id } })).toBe(1);
    // Single use.
    expect(await verifyEmail(token, meta())).toEqual({ status: "invalid" });
  });

  it("an expired link does not verify, and is used up", async () => {
    const { email, user, token } = await signUpWithLink();
    await db.verificationToken.updateMany({ where: { identifier: `verify-email:${email}` }, data: { expires: new Date(Date.now() - 1000) } });
    expect(await verifyEmail(token, meta())).toEqual({ status: "expired" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
    expect(await db.verificationToken.count({ where: { identifier: `verify-email:${email}` } })).toBe(0);
  });

  it("garbage or a magic-link token is not a verification token", async () => {
    expect(await verifyEmail("not a token", meta())).toEqual({ status: "invalid" });
    expect(await verifyEmail("a".repeat(43), meta())).toEqual({ status: "invalid" });
  });
});

describe("discardUnverifiedPassword (someone proved the address by magic link or SSO)", () => {
  it("an unverified password account loses its password, every session and its pending link; audited", async () => {
    const { email, user, token } = await signUpWithLink();
    await createSession(user.id);
    await createSession(user.id);
    expect(await discardUnverifiedPassword(email, meta(), "magic_link")).toBe(true);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    // The attacker cannot verify afterwards with a link they might have got hold of.
    expect(await verifyEmail(token, meta())).toEqual({ status: "invalid" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.unverified_password_discarded", targetId: user.id } });
    expect(audit.metadata).toMatchObject({ method: "magic_link", sessionsRevoked: 2 });
  });

  it("a verified account keeps its password and sessions", async () => {
    const user = await createUser();
    await createSession(user.id);
    expect(await discardUnverifiedPassword(user.email, meta(), "magic_link")).toBe(false);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).not.toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
