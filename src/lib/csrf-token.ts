// Auth.js' CSRF token, fetched by the sign-in calls (features/auth) and by the
// plain form POSTs (components/forms/csrf-post-form: sign-out, SSO). It lives
// in lib because both layers need it and lib imports neither.

/** A fresh CSRF token from Auth.js (it matches the current CSRF cookie). */
export const getCsrfToken = async (): Promise<string> => {
  const res = await fetch("/api/auth/csrf", { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`csrf ${res.status}`);
  const body = (await res.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error("csrf missing");
  return body.csrfToken;
};
