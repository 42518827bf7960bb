import { getTranslations } from "next-intl/server";

export const MAIN_ID = "main-content";

/** First focusable element of every page: jumps over the header to <main>. */
export const SkipLink = async () => {
  const t = await getTranslations("common");
  return (
    <a
      href={`#${MAIN_ID}`}
      className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-accent focus:px-4 focus:py-2 focus:text-accent-fg"
    >
      {t("skipToContent")}
    </a>
  );
};
