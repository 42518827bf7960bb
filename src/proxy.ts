import createIntlMiddleware from "next-intl/middleware";
import { NextResponse, type NextRequest } from "next/server";
import { routing } from "./i18n/routing";

const intl = createIntlMiddleware(routing);

// Pages that need a signed-in user. This is only a cheap redirect for a better
// experience (cookie present or not); every procedure checks the session itself.
const PROTECTED = /^\/(en|es)\/(workspaces|t|account|admin)(\/|$)/;
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export const proxy = (req: NextRequest) => {
  const { pathname, search } = req.nextUrl;
  if (PROTECTED.test(pathname) && !SESSION_COOKIES.some((c) => req.cookies.has(c))) {
    const locale = pathname.split("/")[1];
    const url = new URL(`/${locale}/sign-in`, req.url);
    url.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(url);
  }
  return intl(req);
};

export const config = {
  // Everything except API routes, Next internals and files with an extension.
  matcher: ["/((?!api|_next|_vercel|.*\\..*).*)"],
};
