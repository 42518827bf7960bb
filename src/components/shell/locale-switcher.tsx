"use client";

import { useMutation } from "@tanstack/react-query";
import { Languages } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { Button } from "~/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuTrigger } from "~/components/ui/dropdown-menu";
import { usePathname, useRouter } from "~/i18n/navigation";
import { isLocale, isUiLocale, UI_LOCALES } from "~/lib/locales";
import { useTRPC } from "~/trpc/react";

/**
 * Language picker: a button that opens a menu of languages. Signed-in users
 * (`persist`) also get the choice saved on their account (emails use it); then the
 * same page reloads in the chosen language.
 *
 * A menu, not a <select>: reloading the page is a change of context, and WCAG 3.2.2
 * (On Input) does not allow one on merely moving through a select's options (keyboard
 * users do that with the arrow keys); choosing a menu item is an explicit activation.
 * The button's name keeps its visible text (the current language, 2.5.3).
 */
export const LocaleSwitcher = ({ persist, label, className }: { persist: boolean; label?: string; className?: string }) => {
  const t = useTranslations("shell");
  const tl = useTranslations("locales");
  const locale = useLocale();
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const [pending, startTransition] = useTransition();
  const setLocale = useMutation(trpc.account.setLocale.mutationOptions());
  const name = label ?? t("language");

  const choose = async (next: string) => {
    if (!isUiLocale(next) || next === locale) return;
    // The development pseudo-locale is never stored on the account.
    if (persist && isLocale(next)) await setLocale.mutateAsync({ locale: next }).catch(() => undefined);
    const href = `${pathname}${window.location.search}`;
    startTransition(() => router.replace(href, { locale: next }));
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className={className} aria-label={`${name}: ${tl(locale)}`} disabled={pending || setLocale.isPending}>
          <Languages aria-hidden="true" />
          <span lang={locale}>{tl(locale)}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>{name}</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={locale} onValueChange={(next) => void choose(next)}>
          {UI_LOCALES.map((l) => (
            <DropdownMenuRadioItem key={l} value={l} lang={l}>
              {tl(l)}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
};
