// The one list of UI locales. Routing, the proxy's protected-path pattern, the
// language switcher, stored account preferences, e-mail locale choice and the
// tests all derive from here. `en` is the source; every other locale is kept
// complete (src/i18n/messages.test.ts compares keys and flags untranslated values).
export const LOCALES = ["en", "es"] as const;
export type TLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: TLocale = "en";
export const isLocale = (v: unknown): v is TLocale => LOCALES.includes(v as TLocale);

/**
 * A development-only pseudo-locale (docs/i18n.md): en.json with accented
 * letters, ~35% padding and [brackets], generated at load time, so untranslated
 * (plain English) and truncated or overflowing strings stand out. It is never a
 * stored preference (not in LOCALES) and production routing does not know it:
 * NODE_ENV is inlined at build time, so a production build cannot route to it.
 */
export const PSEUDO_LOCALE = "en-XA";
export type TUiLocale = TLocale | typeof PSEUDO_LOCALE;
export const pseudoLocaleEnabled = process.env.NODE_ENV !== "production";

/** The locales a URL may carry: the shipped ones, plus the pseudo-locale outside production. */
export const UI_LOCALES: readonly TUiLocale[] = pseudoLocaleEnabled ? [...LOCALES, PSEUDO_LOCALE] : LOCALES;
export const isUiLocale = (v: unknown): v is TUiLocale => UI_LOCALES.includes(v as TUiLocale);

/** A regex alternation of the routable locales ("en|es"), for path patterns. */
export const localePathPattern = UI_LOCALES.map((l) => l.replace(/[^a-zA-Z-]/g, "")).join("|");
