import { defineRouting } from "next-intl/routing";
import { DEFAULT_LOCALE, UI_LOCALES } from "~/lib/locales";

// The locale is always in the URL (/en/..., /es/...). next-intl's proxy also
// remembers the last one in the NEXT_LOCALE cookie; signed-in users have it
// stored on their account (account.setLocale). UI_LOCALES adds the pseudo-locale
// (en-XA) outside production only; a production build never routes to it.
export const routing = defineRouting({
  locales: UI_LOCALES,
  defaultLocale: DEFAULT_LOCALE,
  localePrefix: "always",
});
