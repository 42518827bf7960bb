"use client";

import { useTranslations } from "next-intl";
import { Link, usePathname } from "~/i18n/navigation";
import { cn } from "~/lib/cn";

/** Overview / Chat / Knowledge / Meetings / Tasks / Members / Settings / AI providers (/ Security / Privacy / Usage / Audit for admins) tabs of a workspace, as a nav landmark with aria-current. */
export const TenantNav = ({ tenantSlug, showAudit = false }: { tenantSlug: string; showAudit?: boolean }) => {
  const t = useTranslations("tenant");
  const tk = useTranslations("knowledge");
  const tm = useTranslations("meetings");
  const tt = useTranslations("tasks");
  const ta = useTranslations("audit");
  const tr = useTranslations("reliability.nav");
  const tkeys = useTranslations("keys");
  const tprivacy = useTranslations("privacy");
  const pathname = usePathname();
  const base = `/t/${tenantSlug}`;
  const items = [
    { href: base, label: t("overview") },
    { href: `${base}/chat`, label: t("chat"), prefix: true },
    { href: `${base}/knowledge`, label: tk("nav") },
    { href: `${base}/meetings`, label: tm("nav"), prefix: true },
    { href: `${base}/tasks`, label: tt("nav"), prefix: true },
    { href: `${base}/members`, label: t("members") },
    { href: `${base}/settings`, label: t("settings") },
    { href: `${base}/settings/providers`, label: t("providers") },
    { href: `${base}/settings/personas`, label: t("personas") },
    // Security (encryption keys), usage and the audit trail are for owners and admins (the layout decides; the pages and API check again).
    ...(showAudit
      ? [
          { href: `${base}/settings/security`, label: tkeys("nav") },
          { href: `${base}/settings/privacy`, label: tprivacy("nav") },
          { href: `${base}/usage`, label: tr("usage") },
          { href: `${base}/audit`, label: ta("nav") },
        ]
      : []),
  ];
  return (
    <nav aria-label={t("nav")} className="mb-8 border-b border-border">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {items.map((item) => {
          // Chat conversations (/chat/<id>), meetings and tasks have sub-pages: the tab stays current there.
          const active = pathname === item.href || (item.prefix === true && pathname.startsWith(`${item.href}/`));
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                // The list scrolls sideways (overflow-x-auto), which also clips vertically: the
                // default outline drawn 2 px outside the tab was cut off on all but its sides
                // (WCAG 2.4.7, keyboard-journeys.spec.ts). An inset outline stays whole.
                className={cn(
                  "inline-flex h-10 items-center whitespace-nowrap border-b-2 px-3 text-sm font-medium focus-visible:-outline-offset-2",
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
