// use-intl/core, not next-intl: next-intl's entry imports React hooks, which the worker (run with
// --conditions=react-server, where react has no useEffect) cannot load; jobs send mails too.
import { createTranslator } from "use-intl/core";
import { DEFAULT_LOCALE, isLocale, type TLocale } from "~/lib/locales";
import en from "./messages/en.json";
import es from "./messages/es.json";

// E-mails are rendered outside any page request (Auth.js callbacks, services,
// jobs), so they cannot use the request-scoped getTranslations(): they build a
// translator from the catalogue directly. The record is keyed by TLocale, so a
// locale added to LOCALES without a catalogue here fails typecheck.
const CATALOGUES: Record<TLocale, typeof en> = { en, es };

/**
 * The first candidate that is a shipped locale, else the default. Callers list
 * their candidates in order of preference (for example the recipient's stored
 * preference, then the locale of the page that triggered the mail); the
 * pseudo-locale and unknown values fall through.
 */
export const emailLocale = (...candidates: unknown[]): TLocale => candidates.find(isLocale) ?? DEFAULT_LOCALE;

/** A translator over the whole catalogue in `locale`: mails use `emails.*` and shared words such as `roles.*`. */
export const emailTranslator = (locale: TLocale) => createTranslator({ locale, messages: CATALOGUES[locale] });
