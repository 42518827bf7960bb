import "server-only";
import type { Locale } from "next-intl";
import { notFound } from "next/navigation";
import { cache } from "react";
import { redirect } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { throwInjectedPageFault } from "./injected-fault";
import { requireSession } from "./require-session";
import { reasonOf, trpcCodeOf } from "./trpc-errors";

// A server-page helper for the /t/<slug> pages and the features' loaders
// built on it (see trpc-errors.ts for why these live in lib/server-pages).

export type LoadedTenant = Awaited<ReturnType<typeof api.tenant.get>>;

/**
 * The workspace for a /t/<slug> page, once per request.
 * Unknown workspace or not a member → notFound(); suspended → { suspended: true }.
 */
export const loadTenant = cache(async (locale: Locale, tenantSlug: string, returnPath: string): Promise<{ suspended: true } | { suspended: false; tenant: LoadedTenant }> => {
  await requireSession(locale, returnPath);
  await throwInjectedPageFault();
  try {
    return { suspended: false, tenant: await api.tenant.get({ tenantSlug }) };
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "FORBIDDEN" && reasonOf(err) === "tenantSuspended") return { suspended: true };
    if (code === "NOT_FOUND" || code === "BAD_REQUEST" || code === "FORBIDDEN") notFound();
    if (code === "UNAUTHORIZED") redirect({ href: { pathname: "/sign-in", query: { callbackUrl: `/${locale}${returnPath}` } }, locale });
    throw err;
  }
});
