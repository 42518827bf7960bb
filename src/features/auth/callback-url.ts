/**
 * Only same-origin paths are accepted as a callbackUrl (no open redirects):
 * "/en/t/acme" is fine, "//evil.example" and "https://evil.example" are not.
 */
export const safeCallbackUrl = (value: unknown, fallback: string): string => {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
};

/**
 * Where every sign-in method lands: /<locale>/after-sign-in switches to the
 * user's stored locale, then goes on to `next` (a same-site path).
 */
export const afterSignInUrl = (locale: string, next: string): string => `/${locale}/after-sign-in?next=${encodeURIComponent(next)}`;
