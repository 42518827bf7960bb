import { useTranslations } from "next-intl";
import { Link } from "~/i18n/navigation";
import { LEGAL_VERSION } from "~/lib/legal";

/**
 * The footer of every page (PageFrame, and the root error boundary, which renders outside any
 * layout): the Terms of Service and Privacy Policy links and the version in force (issue 16).
 * Not async (useTranslations, not getTranslations) so the client error boundary can render it too.
 */
export const SiteFooter = () => {
  const t = useTranslations("shell");
  const tl = useTranslations("legal");
  return (
    <footer className="mt-auto border-t border-border bg-surface">
      <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-6 text-sm text-muted-fg sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>{t("copyright", { year: new Date().getFullYear() })}</p>
        <nav aria-label={t("footerNav")} className="flex flex-col gap-2 sm:items-end">
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
          <p data-testid="legal-version">{tl("footerVersion", { version: LEGAL_VERSION })}</p>
        </nav>
      </div>
    </footer>
  );
};
