import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { Link } from "~/i18n/navigation";
import { LocaleSwitcher } from "~/components/shell/locale-switcher";
import { TenantSwitcher } from "~/components/shell/tenant-switcher";
import { UserMenu } from "~/components/shell/user-menu";
import { PageFrame } from "./page-frame";

export type ShellUser = { email: string; name?: string | null; isPlatformAdmin: boolean };
export type ShellTenant = { slug: string; name: string };

/** The frame of every signed-in page: header with switchers, the command palette (`palette`, from the layout) and user menu, main, footer. */
export const AppShell = async ({ user, tenants, palette, children }: { user: ShellUser; tenants: ShellTenant[]; palette?: ReactNode; children: ReactNode }) => {
  const t = await getTranslations("shell");
  const tc = await getTranslations("common");
  const locale = await getLocale();
  return (
    <PageFrame
      header={
        <header className="border-b border-border bg-bg">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
            <div className="flex flex-wrap items-center gap-4">
              <Link href="/workspaces" className="text-lg font-bold text-fg hover:text-accent">
                {tc("productName")}
              </Link>
              <nav aria-label={t("mainNav")}>
                <TenantSwitcher tenants={tenants} />
              </nav>
            </div>
            <div className="flex flex-wrap items-center gap-3">
              {palette}
              <LocaleSwitcher persist />
              <UserMenu email={user.email} name={user.name ?? null} isPlatformAdmin={user.isPlatformAdmin} signOutCallbackUrl={`/${locale}`} />
            </div>
          </div>
        </header>
      }
    >
      {children}
    </PageFrame>
  );
};
