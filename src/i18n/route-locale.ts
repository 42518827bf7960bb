import { hasLocale, type Locale } from "next-intl";
import { notFound } from "next/navigation";
import { routing } from "./routing";

/**
 * The `[locale]` route segment as a typed Locale. Next types every segment as
 * a string; the root layout already answers 404 for a locale routing does not
 * list, so this only narrows the type — and answers the same 404 if a page is
 * ever reached some other way.
 */
export const routeLocale = (segment: string): Locale => (hasLocale(routing.locales, segment) ? segment : notFound());
