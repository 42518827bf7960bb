import { UI_LOCALES } from "./locales";

/**
 * Accepts only same-site relative paths (no open redirects): "/en/t/acme" is
 * fine; "//evil.example", "/\evil.example", "https://…" and non-strings fall
 * back.
 */
export const safeRelativePath = (value: unknown, fallback: string): string =>
  typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") ? value : fallback;

/**
 * Turns an untrusted "next" value into a same-site path in `locale`, replacing
 * any locale prefix, so a user lands in their own language.
 */
export const localisedNextPath = (next: string | null | undefined, locale: string, fallback = "/workspaces"): string => {
  let path = safeRelativePath(next, fallback);
  const first = path.split("/")[1] ?? "";
  if ((UI_LOCALES as readonly string[]).includes(first)) path = path.slice(first.length + 1) || "/";
  return `/${locale}${path === "/" ? "" : path}`;
};
