import { LOCALES } from "./locales";

/**
 * Turns an untrusted "next" value into a same-site path in `locale`.
 * Only relative paths are accepted (no scheme, no protocol-relative "//"),
 * and any locale prefix is replaced, so a user lands in their own language.
 */
export const localisedNextPath = (next: string | null | undefined, locale: string, fallback = "/workspaces"): string => {
  let path = typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\") ? next : fallback;
  const first = path.split("/")[1] ?? "";
  if ((LOCALES as readonly string[]).includes(first)) path = path.slice(first.length + 1) || "/";
  return `/${locale}${path === "/" ? "" : path}`;
};
