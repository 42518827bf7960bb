import "server-only";
import { env } from "~/env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Methods that change state, and so need the CSRF check below. */
export const isUnsafeMethod = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

/**
 * CSRF: the session is a cookie, so a cross-site page could make the browser
 * POST here. Browsers send Origin (and Sec-Fetch-Site) on every POST; anything
 * but our own origin (APP_URL, or the host the request was addressed to) is
 * refused. Non-browser clients without Origin carry no ambient cookie, so they
 * are not a CSRF vector.
 */
export const isCrossSite = (req: Request): boolean => {
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = req.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, file://) or garbage
  }
  const allowed = new Set<string>();
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(host.split(",")[0]!.trim().toLowerCase());
  if (env.APP_URL) {
    try {
      allowed.add(new URL(env.APP_URL).host.toLowerCase());
    } catch {
      // env.js validates APP_URL; nothing to add if it is unusable
    }
  }
  return !allowed.has(originHost.toLowerCase());
};
