import { defineRouting } from "next-intl/routing";
import { DEFAULT_LOCALE, LOCALES } from "~/lib/locales";

// The locale is always in the URL (/en/..., /es/...). next-intl's proxy also
// remembers the last one in the NEXT_LOCALE cookie; signed-in users have it
// stored on their account (account.setLocale).
export const routing = defineRouting({
  locales: LOCALES,
  defaultLocale: DEFAULT_LOCALE,
  localePrefix: "always",
});
