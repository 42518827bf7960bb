import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { emailLocale, emailTranslator } from "~/i18n/email-translator";
import { db } from "~/server/db/client";
import { sendMail } from "~/server/infra/mail";
import { recordAudit } from "../audit/audit";
import type { RequestMeta } from "../context";

/*
 * Proving an address before its password works (account pre-hijacking): a
 * password sign-up creates an unverified account (User.emailVerified null)
 * that cannot sign in until the link mailed to the address is opened. The
 * token lives in Auth.js's VerificationToken table under its own identifier
 * prefix (so the magic-link callback can never consume it), hashed (a database
 * read gives no usable link), single use and expiring.
 */

const EMAIL_VERIFICATION_TTL_HOURS = 24;
const IDENTIFIER_PREFIX = "verify-email:";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Mails a fresh verification link to `email`; any earlier unused link for it stops working. */
export const sendEmailVerification = async (input: { email: string; appUrl: string; locale: string }) => {
  const identifier = `${IDENTIFIER_PREFIX}${input.email}`;
  const token = randomBytes(32).toString("base64url");
  await db.verificationToken.deleteMany({ where: { identifier } });
  await db.verificationToken.create({
    data: { identifier, token: hashToken(token), expires: new Date(Date.now() + EMAIL_VERIFICATION_TTL_HOURS * 3_600_000) },
  });
  const link = `${input.appUrl.replace(/\/$/, "")}/${input.locale}/verify-email?token=${token}`;
  // In the language of the sign-up page (the locale the account is created with).
  const t = emailTranslator(emailLocale(input.locale));
  await sendMail({
    to: input.email,
    subject: t("emails.verifyEmail.subject"),
    text: t("emails.verifyEmail.body", { hours: EMAIL_VERIFICATION_TTL_HOURS, link }),
  });
};

export type VerifyEmailResult = { status: "verified"; email: string } | { status: "invalid" } | { status: "expired" };

/** Consumes a verification token: single use (deleted whatever the outcome), then marks the address verified. */
export const verifyEmail = async (token: string, meta: RequestMeta): Promise<VerifyEmailResult> => {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: "invalid" };
  const hash = hashToken(token);
  const row = await db.verificationToken.findUnique({ where: { token: hash } });
  if (!row?.identifier.startsWith(IDENTIFIER_PREFIX)) return { status: "invalid" };
  // deleteMany, not delete: of two concurrent uses only the one that deletes the row goes on.
  const { count } = await db.verificationToken.deleteMany({ where: { token: hash } });
  if (count === 0) return { status: "invalid" };
  if (row.expires <= new Date()) return { status: "expired" };
  const email = row.identifier.slice(IDENTIFIER_PREFIX.length);
  const user = await db.user.findUnique({ where: { email }, select: { id: true, emailVerified: true } });
  if (!user) return { status: "invalid" };
  if (!user.emailVerified) {
    await db.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    await recordAudit({ actorId: user.id, actorType: "USER", action: "user.email_verified", targetType: "user", targetId: user.id, metadata: { method: "link" }, meta });
  }
  return { status: "verified", email };
};

/**
 * Someone just proved they own `email` another way (a magic link, or SSO from
 * the operator's IdP). If the account there was created with a password and
 * never verified, that password was set by whoever typed the address, not
 * necessarily its owner: it is discarded, every session of the account is
 * revoked (ADR 0004), and the event is audited, before the owner is signed in.
 * Returns whether anything was discarded.
 */
export const discardUnverifiedPassword = async (email: string, meta: RequestMeta, method: string): Promise<boolean> => {
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, emailVerified: true, passwordHash: true } });
  if (!user || user.emailVerified || !user.passwordHash) return false;
  const [, sessions] = await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { passwordHash: null } }),
    db.session.deleteMany({ where: { userId: user.id } }),
    db.verificationToken.deleteMany({ where: { identifier: `${IDENTIFIER_PREFIX}${email.toLowerCase()}` } }),
  ]);
  await recordAudit({
    actorId: user.id,
    actorType: "USER",
    action: "auth.unverified_password_discarded",
    targetType: "user",
    targetId: user.id,
    metadata: { method, sessionsRevoked: sessions.count },
    meta,
  });
  return true;
};
