import { Monitor, Moon, Sun } from "lucide-react";
import type { TTheme } from "~/lib/theme";

/** One icon per choice, shared by the account page's radio group and the user menu. */
export const THEME_ICONS = { system: Monitor, light: Sun, dark: Moon } satisfies Record<TTheme, unknown>;
