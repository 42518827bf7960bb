import { hasLocale } from "next-intl";
import { getRequestConfig } from "next-intl/server";
import { PSEUDO_LOCALE } from "~/lib/locales";
import { pseudoLocaliseMessages } from "./pseudo";
import { routing } from "./routing";

// en-XA exists only where routing lists it (never in production); its messages
// are en.json run through the pseudo-localiser on each load, so they always
// follow the English source.
const loadMessages = async (locale: string) =>
  locale === PSEUDO_LOCALE
    ? pseudoLocaliseMessages((await import("./messages/en.json")).default)
    : (await import(`./messages/${locale}.json`)).default;

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  return {
    locale,
    messages: await loadMessages(locale),
    // One zone on server and client so rendered dates never mismatch on
    // hydration; per-user time zones are a later setting.
    timeZone: "UTC",
    // Dates and numbers render in the user's locale with one shared format set.
    formats: {
      dateTime: {
        short: { day: "numeric", month: "short", year: "numeric" },
        long: { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" },
      },
    },
  };
});
