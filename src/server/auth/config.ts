import "server-only";
import { randomBytes } from "node:crypto";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { z } from "zod";
import { env, oidcEnabled } from "~/env";
import { emailLocale, emailTranslator } from "~/i18n/email-translator";
import { LEGAL_VERSION } from "~/lib/legal";
import { isLocale } from "~/lib/locales";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { sendMail } from "~/server/infra/mail";
import { metrics } from "~/server/infra/metrics";
import { burnPasswordCheck, verifyPassword } from "~/server/infra/password";
import { resetRateLimit } from "~/server/infra/rate-limit";
import { recordAudit } from "~/server/services/audit/audit";
import { discardUnverifiedPassword } from "~/server/services/verification/email-verification";
import { currentAuthRequestMeta } from "./request-context";
import { requestMetaFrom } from "./request-meta";
import { noteSessionLookupFailure } from "./session-lookup";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; isPlatformAdmin: boolean };
    sid: string;
  }
}

const SESSION_MAX_AGE_S = 30 * 24 * 3600;
const MAGIC_LINK_MAX_AGE_S = 15 * 60;

/**
 * The magic-link mail speaks the language of the page it was asked from: the
 * sign-in page sends a callbackUrl under its locale (/es/after-sign-in?…), which
 * Auth.js carries in the link. Without one, the account's stored preference.
 */
const magicLinkLocale = async (email: string, url: string) => {
  const callback = new URL(url).searchParams.get("callbackUrl");
  const pageLocale = callback ? new URL(callback, url).pathname.split("/")[1] : undefined;
  if (isLocale(pageLocale)) return pageLocale;
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { locale: true } });
  return emailLocale(user?.locale);
};
const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;

/** The right password for an address nobody has verified yet: the form says "confirm your email first". */
class EmailUnverified extends CredentialsSignin {
  code = "email_unverified";
}

const ZCredentials = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(200) });

const providers: Provider[] = [
  Credentials({
    id: "credentials",
    name: "Email and password",
    credentials: { email: {}, password: {} },
    authorize: async (raw, request) => {
      const parsed = ZCredentials.safeParse(raw);
      if (!parsed.success) return null;
      const { email, password } = parsed.data;
      const meta = requestMetaFrom(request.headers);
      const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true, emailVerified: true } });
      const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
      if (!user || !ok || user.disabledAt) {
        metrics.signIns.add(1, { "ocsuite.auth.method": "password", "ocsuite.result": "failure" });
        await recordAudit({
          actorId: user?.id ?? null,
          actorType: "USER",
          action: "auth.sign_in",
          result: "FAILURE",
          targetType: "user",
          targetId: user?.id ?? null,
          metadata: { method: "password", email, reason: !user ? "unknown_account" : user.disabledAt ? "disabled" : "bad_password" },
          meta,
        });
        return null;
      }
      // Pre-hijacking: until the address is proved (the sign-up mail's link), a password
      // set by whoever typed it opens nothing.
      if (!user.emailVerified) {
        metrics.signIns.add(1, { "ocsuite.auth.method": "password", "ocsuite.result": "failure" });
        await recordAudit({
          actorId: user.id,
          actorType: "USER",
          action: "auth.sign_in",
          result: "FAILURE",
          targetType: "user",
          targetId: user.id,
          metadata: { method: "password", email, reason: "email_unverified" },
          meta,
        });
        throw new EmailUnverified();
      }
      // A success clears the per-account failure window (see the auth route).
      await resetRateLimit("signin-account", email);
      return { id: user.id, email: user.email, name: user.name };
    },
  }),
  {
    // Magic link. sendMail uses SMTP when configured, else the dev mailbox.
    id: "email",
    type: "email",
    name: "Email link",
    maxAge: MAGIC_LINK_MAX_AGE_S,
    from: env.MAIL_FROM,
    options: {},
    sendVerificationRequest: async ({ identifier, url }) => {
      const t = emailTranslator(await magicLinkLocale(identifier, url));
      await sendMail({
        to: identifier,
        subject: t("emails.magicLink.subject"),
        text: t("emails.magicLink.body", { minutes: MAGIC_LINK_MAX_AGE_S / 60, url }),
      });
    },
  },
];

if (oidcEnabled()) {
  providers.push({
    id: "oidc",
    name: env.AUTH_OIDC_NAME,
    type: "oidc",
    issuer: env.AUTH_OIDC_ISSUER,
    clientId: env.AUTH_OIDC_CLIENT_ID,
    clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
    checks: ["pkce", "state", "nonce"],
    // The issuer is the operator's own IdP, configured by env: its verified
    // email is trusted to link to an existing OC Suite account.
    allowDangerousEmailAccountLinking: true,
  });
}

const prismaAdapter = PrismaAdapter(db as never) as Adapter;

/**
 * Accounts Auth.js creates itself (the first magic link or SSO sign-in, which is also how an
 * invitation's new member arrives) record the Terms/Privacy version in force as accepted, like a
 * password sign-up does (services/users signUp). There is no form to tick a box on there, so the
 * sign-in page states "By continuing you agree to the Terms of Service and the Privacy Policy"
 * with links above every way in: continuing is the agreement. Recorded in the same insert (not
 * in events.createUser afterwards) so no account ever exists without its version.
 */
const adapter: Adapter = {
  ...prismaAdapter,
  createUser: (user) => prismaAdapter.createUser!({ ...user, legalVersionAccepted: LEGAL_VERSION, legalAcceptedAt: new Date() } as typeof user),
};

export const authConfig = {
  adapter,
  providers,
  secret: env.AUTH_SECRET,
  trustHost: true,
  // JWT cookies (Credentials needs them) that name a server-side Session row:
  // deleting the row revokes the session on its next request.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
  callbacks: {
    // Every provider: a disabled account (admin.disableUser) gets no session at all.
    // Credentials refuses it in authorize; this covers magic links and SSO.
    signIn: async ({ user, account, email }) => {
      // A magic link being followed (not merely requested) or an SSO sign-in proves the
      // address: a never-verified password account there loses its password and sessions
      // first, so whoever pre-registered the address is shut out (services/verification).
      const proving = account?.provider === "email" ? email?.verificationRequest !== true : account?.provider !== "credentials" && !!account;
      if (proving && user?.email) {
        const byEmail = await db.user.findUnique({ where: { email: user.email.toLowerCase() }, select: { disabledAt: true } });
        if (byEmail?.disabledAt) return false;
        await discardUnverifiedPassword(user.email, currentAuthRequestMeta() ?? { ip: null, userAgent: null }, account?.provider === "email" ? "magic_link" : account!.provider);
      }
      if (!user?.id) return true;
      const row = await db.user.findUnique({ where: { id: user.id }, select: { disabledAt: true } });
      return !row?.disabledAt;
    },
    jwt: async ({ token, user, trigger }) => {
      if (user?.id && (trigger === "signIn" || trigger === "signUp")) {
        const sessionToken = randomBytes(32).toString("base64url");
        await db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) } });
        token.sid = sessionToken;
        token.sub = user.id;
        return token;
      }
      if (typeof token.sid !== "string") return null;
      const row = await db.session
        .findUnique({
          where: { sessionToken: token.sid },
          select: { expires: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true, isPlatformAdmin: true, disabledAt: true, emailVerified: true } } },
        })
        .catch((err: unknown) => {
          // Not "no session": the caller answers 503 (session-lookup.ts).
          noteSessionLookupFailure(err);
          throw err;
        });
      // An unverified account holds no session at all, so it cannot create workspaces or accept
      // invitations that would later become the address owner's.
      if (!row || row.expires < new Date() || row.user.disabledAt || !row.user.emailVerified) return null;
      if (Date.now() - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
        await db.session.update({ where: { sessionToken: token.sid }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
      }
      token.sub = row.user.id;
      token.email = row.user.email;
      token.name = row.user.name;
      token.isPlatformAdmin = row.user.isPlatformAdmin;
      return token;
    },
    session: async ({ session, token }) => {
      session.user = {
        id: token.sub!,
        email: token.email!,
        name: token.name ?? null,
        isPlatformAdmin: token.isPlatformAdmin === true,
      } as typeof session.user;
      session.sid = token.sid as string;
      return session;
    },
  },
  events: {
    signIn: async ({ user, account }) => {
      // SSO from the operator's IdP proves the address as a magic link does (Auth.js sets
      // emailVerified for magic links itself, not for OAuth accounts).
      if (user.id && account && account.provider !== "credentials") {
        await db.user.updateMany({ where: { id: user.id, emailVerified: null }, data: { emailVerified: new Date() } });
      }
      const method = account?.provider === "credentials" ? "password" : account?.provider === "email" ? "magic_link" : (account?.provider ?? "unknown");
      metrics.signIns.add(1, { "ocsuite.auth.method": method, "ocsuite.result": "success" });
      await recordAudit({
        actorId: user.id ?? null,
        actorType: "USER",
        action: "auth.sign_in",
        targetType: "user",
        targetId: user.id ?? null,
        metadata: { method },
        meta: currentAuthRequestMeta(),
      });
    },
    signOut: async (message) => {
      const token = "token" in message ? message.token : null;
      if (typeof token?.sid === "string") {
        await db.session.deleteMany({ where: { sessionToken: token.sid } });
        await recordAudit({
          actorId: token.sub ?? null,
          actorType: "USER",
          action: "auth.signed_out",
          targetType: "user",
          targetId: token.sub ?? null,
          meta: currentAuthRequestMeta(),
        });
      }
    },
  },
  logger: {
    error: (error) => {
      // A wrong password is an expected outcome (audited and counted above), not an error.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      const cause = (error as { cause?: { err?: Error } }).cause?.err ?? (error as { cause?: unknown }).cause;
      logger.warn({ err: { type: (error as { type?: string }).type, cause: cause instanceof Error ? cause.message : String(cause ?? "") } }, "auth error");
    },
    warn: (code) => logger.warn({ code }, "auth warning"),
    debug: () => undefined,
  },
} satisfies NextAuthConfig;
