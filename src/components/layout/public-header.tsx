import { getTranslations } from "next-intl/server";
import { buttonVariants } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";
import { LocaleSwitcher } from "~/components/shell/locale-switcher";

/** Header of the public pages (landing, sign-in, legal, invitations). */
export const PublicHeader = async ({ signedIn }: { signedIn: boolean }) => {
  const t = await getTranslations("shell");
  const tc = await getTranslations("common");
  return (
    <header className="border-b border-border bg-bg">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-bold text-fg hover:text-accent">
          {tc("productName")}
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <nav aria-label={t("mainNav")}>
            <ul className="flex items-center gap-2">
              {signedIn ? (
                <li>
                  <Link href="/workspaces" className={buttonVariants({ variant: "secondary", size: "sm" })}>
                    {t("workspaces")}
                  </Link>
                </li>
              ) : (
                <>
                  <li>
                    <Link href="/sign-in" className={buttonVariants({ variant: "ghost", size: "sm" })}>
                      {t("signIn")}
                    </Link>
                  </li>
                  <li>
                    <Link href="/sign-up" className={buttonVariants({ variant: "primary", size: "sm" })}>
                      {t("signUp")}
                    </Link>
                  </li>
                </>
              )}
            </ul>
          </nav>
          <LocaleSwitcher persist={signedIn} />
        </div>
      </div>
    </header>
  );
};
