// Browser-side calls to the Auth.js endpoints, done with fetch so the page can
// show rate-limit and credential errors in place (no next-auth/react).

import { getCsrfToken } from "~/lib/csrf-token";

export type AuthResult =
  | { ok: true; url: string }
  | { ok: false; kind: "invalid" }
  | { ok: false; kind: "unverified" }
  | { ok: false; kind: "rateLimited"; retryAfterSeconds: number }
  | { ok: false; kind: "unavailable"; retryAfterSeconds: number }
  | { ok: false; kind: "error"; code?: string };

const retryAfterOf = async (res: Response): Promise<number> => {
  const body = (await res.json().catch(() => null)) as { retryAfterSeconds?: number } | null;
  const fromBody = Number(body?.retryAfterSeconds);
  if (Number.isFinite(fromBody) && fromBody > 0) return Math.ceil(fromBody);
  const fromHeader = Number(res.headers.get("Retry-After"));
  return Number.isFinite(fromHeader) && fromHeader > 0 ? Math.ceil(fromHeader) : 60;
};

const errorCodeOf = (url: string): { error: string | null; code: string | null } => {
  try {
    const params = new URL(url, window.location.origin).searchParams;
    return { error: params.get("error"), code: params.get("code") };
  } catch {
    return { error: null, code: null };
  }
};

const post = async (path: string, fields: Record<string, string>): Promise<AuthResult> => {
  const csrfToken = await getCsrfToken();
  const res = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body: new URLSearchParams({ ...fields, csrfToken }),
  });
  if (res.status === 429) return { ok: false, kind: "rateLimited", retryAfterSeconds: await retryAfterOf(res) };
  // The sign-in limiter fails closed: 503 while it cannot count attempts.
  if (res.status === 503) return { ok: false, kind: "unavailable", retryAfterSeconds: await retryAfterOf(res) };
  const body = (await res.json().catch(() => null)) as { url?: string } | null;
  const url = body?.url ?? "";
  if (!res.ok || !url) return { ok: false, kind: "error" };
  const { error, code } = errorCodeOf(url);
  // The right password for an address not yet confirmed (server/auth/config.ts EmailUnverified).
  if (error === "CredentialsSignin" && code === "email_unverified") return { ok: false, kind: "unverified" };
  if (error === "CredentialsSignin") return { ok: false, kind: "invalid" };
  if (error) return { ok: false, kind: "error", code: error };
  return { ok: true, url };
};

/** Email + password. On success the session cookie is set; navigate with a full page load. */
export const signInWithPassword = (input: { email: string; password: string; callbackUrl: string }) =>
  post("/api/auth/callback/credentials", input);

/** Magic link: asks the server to email a single-use sign-in link. */
export const requestMagicLink = (input: { email: string; callbackUrl: string }) => post("/api/auth/signin/email", input);
