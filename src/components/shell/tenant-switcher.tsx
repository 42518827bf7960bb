"use client";

import { Check, ChevronsUpDown, LayoutGrid } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "~/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "~/components/ui/dropdown-menu";
import { Link, usePathname } from "~/i18n/navigation";

export const TenantSwitcher = ({ tenants }: { tenants: { slug: string; name: string }[] }) => {
  const t = useTranslations("shell");
  const pathname = usePathname();
  const currentSlug = /^\/t\/([^/]+)/.exec(pathname)?.[1] ?? null;
  const current = tenants.find((x) => x.slug === currentSlug) ?? null;

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="secondary" size="sm" className="max-w-64">
          <span className="sr-only">{t("switchWorkspace")}: </span>
          <span className="truncate">{current?.name ?? t("allWorkspaces")}</span>
          <ChevronsUpDown aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuGroup>
          <DropdownMenuLabel>{t("yourWorkspaces")}</DropdownMenuLabel>
          {tenants.length === 0 ? (
            <DropdownMenuItem disabled>{t("noWorkspaces")}</DropdownMenuItem>
          ) : (
            tenants.map((tenant) => (
              <DropdownMenuItem key={tenant.slug} asChild>
                <Link href={`/t/${tenant.slug}`} aria-current={tenant.slug === currentSlug ? "page" : undefined}>
                  {tenant.slug === currentSlug ? <Check aria-hidden="true" /> : <span className="size-4" aria-hidden="true" />}
                  <span className="truncate">{tenant.name}</span>
                </Link>
              </DropdownMenuItem>
            ))
          )}
        </DropdownMenuGroup>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/workspaces">
            <LayoutGrid aria-hidden="true" />
            {t("allWorkspaces")}
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
};
