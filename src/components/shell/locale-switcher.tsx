"use client";

import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useId, useTransition } from "react";
import { Select } from "~/components/ui/select";
import { usePathname, useRouter } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { isLocale, isUiLocale, UI_LOCALES } from "~/lib/locales";
import { useTRPC } from "~/trpc/react";

/**
 * Language picker. Signed-in users (`persist`) also get the choice saved on their
 * account (emails use it); then the same page reloads in the new locale.
 */
export const LocaleSwitcher = ({ persist, label, className }: { persist: boolean; label?: string; className?: string }) => {
  const t = useTranslations("shell");
  const tl = useTranslations("locales");
  const locale = useLocale();
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const setLocale = useMutation(trpc.account.setLocale.mutationOptions());

  const onChange = async (next: string) => {
    if (!isUiLocale(next) || next === locale) return;
    // The development pseudo-locale is never stored on the account.
    if (persist && isLocale(next)) await setLocale.mutateAsync({ locale: next }).catch(() => undefined);
    const href = `${pathname}${window.location.search}`;
    startTransition(() => router.replace(href, { locale: next }));
  };

  return (
    <div className={cn("flex items-center gap-2", className)}>
      <label htmlFor={id} className="text-sm font-medium text-fg">
        {label ?? t("language")}
      </label>
      <Select id={id} size="sm" value={locale} disabled={pending || setLocale.isPending} onChange={(e) => void onChange(e.target.value)}>
        {UI_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {tl(l)}
          </option>
        ))}
      </Select>
    </div>
  );
};
