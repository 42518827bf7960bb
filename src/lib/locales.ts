// Supported UI locales. `en` is the source; every other locale is kept complete
// (a test compares message keys).
export const LOCALES = ["en", "es"] as const;
export type TLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: TLocale = "en";
export const isLocale = (v: unknown): v is TLocale => LOCALES.includes(v as TLocale);
