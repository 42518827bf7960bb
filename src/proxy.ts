import createIntlMiddleware from "next-intl/middleware";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/env";
import { routing } from "./i18n/routing";
import { localePathPattern } from "./lib/locales";

const intl = createIntlMiddleware(routing);

// Pages that need a signed-in user. This is only a cheap redirect for a better
// experience (cookie present or not); every procedure checks the session itself.
const PROTECTED = new RegExp(`^/(${localePathPattern})/(workspaces|t|account|admin)(/|$)`);
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

// The SSO button is a form POST to /api/auth/signin/oidc that answers a redirect
// to the identity provider; browsers apply form-action to that redirect too.
const ssoOrigin = (() => {
  try {
    return env.AUTH_OIDC_ISSUER ? new URL(env.AUTH_OIDC_ISSUER).origin : null;
  } catch {
    return null;
  }
})();

/**
 * The page CSP, with a fresh nonce per request. Next reads the nonce from the
 * request's CSP header and puts it on every script it renders; 'strict-dynamic'
 * lets those load the chunks they import. Every page is dynamically rendered
 * (the only static route is /_not-found, which this proxy does not match), so
 * each response gets its own nonce. 'unsafe-eval' only under `next dev`, where
 * React rebuilds server error stacks with eval. Styles: 'unsafe-inline', because
 * React writes style attributes (progress bars, chart sizes) that a nonce
 * cannot cover, and a nonce in style-src would make browsers ignore
 * 'unsafe-inline'; styles cannot run script, and scripts stay nonce-only.
 */
const contentSecurityPolicy = (nonce: string, dev: boolean) =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self'${ssoOrigin ? ` ${ssoOrigin}` : ""}`,
  ].join("; ");

export const proxy = (req: NextRequest) => {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const { pathname, search } = req.nextUrl;
  let res: NextResponse;
  if (PROTECTED.test(pathname) && !SESSION_COOKIES.some((c) => req.cookies.has(c))) {
    const locale = pathname.split("/")[1];
    const url = new URL(`/${locale}/sign-in`, req.url);
    url.searchParams.set("callbackUrl", `${pathname}${search}`);
    res = NextResponse.redirect(url);
  } else {
    // next-intl forwards the request headers (a copy of req.headers) to the page render.
    req.headers.set("content-security-policy", csp);
    req.headers.set("x-nonce", nonce);
    res = intl(req);
  }
  res.headers.set("content-security-policy", csp);
  return res;
};

export const config = {
  // Everything except API routes, Next internals and files with an extension.
  matcher: ["/((?!api|_next|_vercel|.*\\..*).*)"],
};
