import { redirect } from "next/navigation";
import { isLocale } from "~/lib/locales";
import { localisedNextPath } from "~/lib/safe-redirect";
import { api } from "~/trpc/server";

export const dynamic = "force-dynamic";

/**
 * Every sign-in method (password, magic link, SSO) comes back here: the
 * user's stored language wins over the one in the URL they signed in from,
 * so the locale is remembered per user across devices.
 */
export default async function AfterSignInPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<{ next?: string }> }) {
  const [{ locale }, { next }] = await Promise.all([params, searchParams]);
  const me = await api.account.me().catch(() => null);
  if (!me) redirect(`/${locale}/sign-in`);
  const target = isLocale(me.locale) ? me.locale : locale;
  redirect(localisedNextPath(next, target));
}
