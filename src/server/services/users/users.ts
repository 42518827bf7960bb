import "server-only";
import { Prisma } from "~/server/db/generated/client";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { hashPassword } from "~/server/infra/password";
import { hitRateLimit } from "~/server/infra/rate-limit";
import { env } from "~/env";
import { LEGAL_VERSION } from "~/lib/legal";
import type { TLocale } from "~/lib/locales";
import { recordAudit } from "../audit/audit";
import { sendEmailVerification } from "../verification/email-verification";
import type { RequestMeta, UserCtx } from "../context";

/**
 * Creates an email + password account, unverified: the password works only
 * after the link mailed to the address is opened (services/verification), so
 * nobody can pre-register someone else's address and wait for them.
 * The Terms/Privacy version in force is recorded as accepted: the only caller (account.signUp)
 * refuses input without the agreement box ticked (ZSignUpInput.acceptLegal).
 */
export const signUp = async (input: { email: string; name: string; password: string; locale: string; appUrl: string }, meta: RequestMeta) => {
  // Fails closed (see rate-limit.ts): with the limiter down, sign-ups wait rather than go unlimited.
  const limit = await hitRateLimit({ name: "signup-ip", key: meta.ip ?? "unknown", limit: env.RATE_LIMIT_SIGNIN_IP, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS, failClosed: true });
  if (limit.unavailable) {
    throw new AppError("SERVICE_UNAVAILABLE", "rateLimiterUnavailable", "Sign-up is paused while the rate limiter is unavailable", { retryAfterSeconds: limit.retryAfterSeconds });
  }
  if (!limit.allowed) throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many sign-ups from this address", { retryAfterSeconds: limit.retryAfterSeconds });
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({ data: { email, name: input.name, passwordHash, locale: input.locale, legalVersionAccepted: LEGAL_VERSION, legalAcceptedAt: new Date() }, select: { id: true, email: true } });
    await recordAudit({ actorId: user.id, actorType: "USER", action: "user.signed_up", targetType: "user", targetId: user.id, meta });
    await sendEmailVerification({ email: user.email, appUrl: input.appUrl, locale: input.locale });
    return { id: user.id, email: user.email };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new AppError("CONFLICT", "emailTaken", "An account with this email already exists");
    }
    throw err;
  }
};

export const getMe = async (user: UserCtx) => {
  const me = await db.user.findUniqueOrThrow({
    where: { id: user.userId },
    select: { id: true, email: true, name: true, locale: true, isPlatformAdmin: true, legalVersionAccepted: true, legalAcceptedAt: true, _count: { select: { sessions: true } } },
  });
  return {
    id: me.id,
    email: me.email,
    name: me.name,
    locale: me.locale,
    isPlatformAdmin: me.isPlatformAdmin,
    activeSessions: me._count.sessions,
    legalVersionAccepted: me.legalVersionAccepted,
    legalAcceptedAt: me.legalAcceptedAt,
  };
};

/** Remembers the user's language; the locale switcher calls this. */
export const setLocale = async (user: UserCtx, locale: TLocale) => {
  await db.user.update({ where: { id: user.userId }, data: { locale } });
  return { locale };
};

/**
 * Ends every session of the user, this one included: the session rows go, and
 * the JWT callback rejects any cookie whose row is gone on its next request.
 */
export const signOutEverywhere = async (user: UserCtx) => {
  const { count } = await db.session.deleteMany({ where: { userId: user.userId } });
  await recordAudit({ actorId: user.userId, actorType: "USER", action: "auth.signed_out_everywhere", targetType: "user", targetId: user.userId, metadata: { sessions: count }, meta: user.meta });
  return { sessionsEnded: count };
};
