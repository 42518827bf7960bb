"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { THEME_COOKIE, THEME_COOKIE_MAX_AGE, themeAttribute, type TTheme } from "~/lib/theme";

// Holds the visitor's theme choice on the client so every control (the account
// page's radio group, the user menu) shows the same value, and applies a change
// at once: <html data-theme> for this page, the cookie for the next server
// render (the root layout reads it, so a reload paints the right theme first).

type ThemeContextValue = { theme: TTheme; setTheme: (theme: TTheme) => void };

const ThemeContext = createContext<ThemeContextValue | null>(null);

const applyTheme = (theme: TTheme) => {
  const attribute = themeAttribute(theme);
  if (attribute) document.documentElement.dataset.theme = attribute;
  else delete document.documentElement.dataset.theme;
  // "system" is the absence of a choice: drop the cookie rather than store it.
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  const value = theme === "system" ? "; Max-Age=0" : `; Max-Age=${THEME_COOKIE_MAX_AGE}`;
  // The choice belongs to the browser and is not a secret: a plain first-party cookie the server only reads.
  document.cookie = `${THEME_COOKIE}=${theme === "system" ? "" : theme}; Path=/; SameSite=Lax${value}${secure}`;
};

export const ThemeProvider = ({ initialTheme, children }: { initialTheme: TTheme; children: ReactNode }) => {
  const [theme, setThemeState] = useState(initialTheme);
  const setTheme = useCallback((next: TTheme) => {
    applyTheme(next);
    setThemeState(next);
  }, []);
  const value = useMemo(() => ({ theme, setTheme }), [theme, setTheme]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
};

export const useTheme = (): ThemeContextValue => {
  const value = useContext(ThemeContext);
  if (!value) throw new Error("useTheme outside ThemeProvider (the root layout renders it)");
  return value;
};
