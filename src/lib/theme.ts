import { z } from "zod";

// The colour theme a visitor chose, per browser. "system" (the default) follows
// prefers-color-scheme; "light"/"dark" pin it. The root layout reads the cookie
// on the server and renders <html data-theme="light|dark"> (nothing for system),
// so the first paint is already right without an inline script (the CSP allows
// none). The dark palette and the selectors that apply it are in
// src/app/globals.css; docs/design-tokens.md has the values and their contrast.
export const THEMES = ["system", "light", "dark"] as const;
const ZTheme = z.enum(THEMES);
export type TTheme = z.infer<typeof ZTheme>;

export const THEME_COOKIE = "ocsuite-theme";
/** A year: the choice belongs to the browser, not to a session. */
export const THEME_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

/** A cookie value as a theme; anything unknown (tampered, from an older release, absent) is "system". */
export const parseTheme = (value: unknown): TTheme => {
  const parsed = ZTheme.safeParse(value);
  return parsed.success ? parsed.data : "system";
};

/** The value of <html data-theme>: only a pinned choice sets it, so "system" leaves the media query in charge. */
export const themeAttribute = (theme: TTheme): "light" | "dark" | undefined => (theme === "system" ? undefined : theme);
