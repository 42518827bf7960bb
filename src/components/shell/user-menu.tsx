"use client";

import { LogOut, Shield, User } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { THEME_ICONS } from "~/components/theme/theme-icons";
import { useTheme } from "~/components/theme/theme-provider";
import { Button } from "~/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "~/components/ui/dropdown-menu";
import { Link } from "~/i18n/navigation";
import { parseTheme, THEMES } from "~/lib/theme";
import { SignOutForm } from "./sign-out-form";

export const UserMenu = ({
  email,
  name,
  isPlatformAdmin,
  signOutCallbackUrl,
}: {
  email: string;
  name: string | null;
  isPlatformAdmin: boolean;
  signOutCallbackUrl: string;
}) => {
  const t = useTranslations("shell");
  const tTheme = useTranslations("theme");
  const { theme, setTheme } = useTheme();
  const themeLabelId = useId();

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="sm" aria-label={t("userMenu", { email })}>
            <User aria-hidden="true" />
            <span className="hidden max-w-48 truncate sm:inline">{email}</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuLabel>
            {t("signedInAs")}
            <span className="block truncate text-sm font-semibold text-fg">{name ?? email}</span>
            {name ? <span className="block truncate text-xs text-muted-fg">{email}</span> : null}
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <Link href="/account">
              <User aria-hidden="true" />
              {t("account")}
            </Link>
          </DropdownMenuItem>
          {isPlatformAdmin ? (
            <DropdownMenuItem asChild>
              <Link href="/admin">
                <Shield aria-hidden="true" />
                {t("admin")}
              </Link>
            </DropdownMenuItem>
          ) : null}
          <DropdownMenuSeparator />
          {/* The same choice as on the account page; it applies at once, the menu closes as after any item. */}
          <DropdownMenuLabel id={themeLabelId}>{tTheme("label")}</DropdownMenuLabel>
          <DropdownMenuRadioGroup aria-labelledby={themeLabelId} value={theme} onValueChange={(v) => setTheme(parseTheme(v))}>
            {THEMES.map((value) => {
              const Icon = THEME_ICONS[value];
              return (
                <DropdownMenuRadioItem key={value} value={value}>
                  <Icon aria-hidden="true" />
                  {tTheme(value)}
                </DropdownMenuRadioItem>
              );
            })}
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          {/* The item is the sign-out form's own submit button: a form only script submits has no
              submit control (HTML_CodeSniffer H32.2, WCAG 3.2.2), and was on every signed-in page.
              preventDefault keeps the menu, and so the form, mounted until the browser follows
              Auth.js' redirect; closing it would unmount the form before CsrfPostForm submits. */}
          <SignOutForm callbackUrl={signOutCallbackUrl}>
            <DropdownMenuItem asChild onSelect={(e) => e.preventDefault()}>
              <button type="submit" className="w-full">
                <LogOut aria-hidden="true" />
                {t("signOut")}
              </button>
            </DropdownMenuItem>
          </SignOutForm>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
};
