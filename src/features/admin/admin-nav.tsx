"use client";

import { useTranslations } from "next-intl";
import { Link, usePathname } from "~/i18n/navigation";
import { cn } from "~/lib/cn";

/** The admin area's sections, as a nav landmark with aria-current (shown to platform admins by the admin layout). */
export const AdminNav = () => {
  const t = useTranslations("admin");
  const tr = useTranslations("reliability.nav");
  const tk = useTranslations("adminKeys");
  const pathname = usePathname();
  const items = [
    // The overview lists workspaces; a workspace's detail page belongs to it.
    { href: "/admin", label: t("navOverview"), also: "/admin/tenants/" },
    { href: "/admin/users", label: t("navUsers"), also: "/admin/users/" },
    { href: "/admin/usage", label: t("navUsage") },
    { href: "/admin/ops", label: tr("ops") },
    { href: "/admin/keys", label: tk("nav") },
    { href: "/admin/audit", label: t("navAudit") },
    { href: "/admin/jobs", label: t("navJobs"), also: "/admin/jobs/" },
    { href: "/admin/support", label: t("navSupport"), also: "/admin/support/" },
  ];
  return (
    <nav aria-label={t("nav")} className="mb-8 border-b border-border">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {items.map((item) => {
          const active = pathname === item.href || (item.also !== undefined && pathname.startsWith(item.also));
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-10 items-center whitespace-nowrap border-b-2 px-3 text-sm font-medium",
                  active ? "border-accent text-accent" : "border-transparent text-muted-fg hover:border-border-strong hover:text-fg",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
};
