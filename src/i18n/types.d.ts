// next-intl's type registry: with these, `t("unknown.key")`, a key outside the
// namespace given to useTranslations/getTranslations, or a locale outside the
// list fails `tsc` instead of rendering the key at run time. en.json is the
// source; messages.test.ts keeps es.json's keys identical.
import type en from "./messages/en.json";
import type { TUiLocale } from "~/lib/locales";

declare module "next-intl" {
  interface AppConfig {
    Locale: TUiLocale;
    Messages: typeof en;
  }
}
