import "server-only";
import type { Locale } from "next-intl";
import type { Session } from "next-auth";
import { redirect } from "~/i18n/navigation";
import { auth } from "~/server/auth";

// A server-page helper (see trpc-errors.ts for why these live in lib/server-pages).

/** The session, or a redirect to sign-in that comes back to `returnPath` (a path without the locale). */
export const requireSession = async (locale: Locale, returnPath: string): Promise<Session> => {
  const session = await auth();
  if (!session) return redirect({ href: { pathname: "/sign-in", query: { callbackUrl: `/${locale}${returnPath}` } }, locale });
  return session;
};
