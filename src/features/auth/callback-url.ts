/**
 * Where every sign-in method lands: /<locale>/after-sign-in switches to the
 * user's stored locale, then goes on to `next` (a same-site path).
 */
export const afterSignInUrl = (locale: string, next: string): string => `/${locale}/after-sign-in?next=${encodeURIComponent(next)}`;
