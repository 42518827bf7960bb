"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { THEMES } from "~/lib/theme";
import { THEME_ICONS } from "./theme-icons";
import { useTheme } from "./theme-provider";

/**
 * System / Light / Dark as native radio buttons in a labelled fieldset: Tab
 * reaches the group, the arrow keys choose, and a choice applies at once (no
 * save button, no reload).
 */
export const ThemeChoice = ({ describedBy }: { describedBy?: string }) => {
  const t = useTranslations("theme");
  const { theme, setTheme } = useTheme();
  const name = useId();
  return (
    <fieldset aria-describedby={describedBy}>
      <legend className="mb-2 text-sm font-medium text-fg">{t("label")}</legend>
      <div className="flex flex-wrap gap-2">
        {THEMES.map((value) => {
          const Icon = THEME_ICONS[value];
          return (
            <label
              key={value}
              className="inline-flex h-10 cursor-pointer items-center gap-2 rounded-md border border-border-strong bg-bg px-3 text-sm text-fg has-[:checked]:border-accent has-[:checked]:bg-accent-soft has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring"
            >
              <input type="radio" name={name} value={value} checked={theme === value} onChange={() => setTheme(value)} className="size-4 accent-accent focus-visible:outline-none" />
              <Icon aria-hidden="true" className="size-4" />
              {t(value)}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
};
