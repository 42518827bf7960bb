import { getTranslations } from "next-intl/server";
import { Link } from "~/i18n/navigation";

export const SiteFooter = async () => {
  const t = await getTranslations("shell");
  return (
    <footer className="mt-auto border-t border-border bg-surface">
      <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-6 text-sm text-muted-fg sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>{t("copyright", { year: new Date().getFullYear() })}</p>
        <nav aria-label={t("footerNav")}>
          <ul className="flex gap-4">
            <li>
              <Link href="/legal/terms" className="text-fg underline hover:text-accent">
                {t("terms")}
              </Link>
            </li>
            <li>
              <Link href="/legal/privacy" className="text-fg underline hover:text-accent">
                {t("privacy")}
              </Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
};
