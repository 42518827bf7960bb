import type { NextRequest } from "next/server";
import { env } from "~/env";
import { handlers } from "~/server/auth";
import { withAuthRequestMeta } from "~/server/auth/request-context";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { jsonError } from "~/server/infra/body-limit";
import { hitRateLimit } from "~/server/infra/rate-limit";
import { recordAudit } from "~/server/services/audit/audit";

// Sign-in endpoints that take a secret or send mail are rate limited per IP and
// per account; over the limit the answer is 429 with Retry-After, before
// next-auth runs. The per-account counter is cleared on a successful sign-in.
// These limits fail closed: when no store can count (Redis and its in-memory
// insurance both down), the answer is 503 rateLimiterUnavailable with
// Retry-After, so an outage never switches brute-force protection off.
const LIMITED = new Set(["/api/auth/callback/credentials", "/api/auth/signin/email"]);

// Handlers run with the caller's IP and user agent in scope, for the audit
// events Auth.js raises (sign-in by magic link or SSO arrives as a GET).
export const GET = (req: NextRequest) => withAuthRequestMeta(requestMetaFrom(req.headers), () => handlers.GET(req));

export const POST = async (req: NextRequest) => {
  const path = req.nextUrl.pathname;
  if (!LIMITED.has(path)) return withAuthRequestMeta(requestMetaFrom(req.headers), () => handlers.POST(req));

  const form = await req.clone().formData().catch(() => null);
  const email = String(form?.get("email") ?? "").trim().toLowerCase().slice(0, 320);
  const meta = requestMetaFrom(req.headers);
  const windowSeconds = env.RATE_LIMIT_WINDOW_SECONDS;
  const checks = [
    hitRateLimit({ name: "signin-ip", key: meta.ip ?? "unknown", limit: env.RATE_LIMIT_SIGNIN_IP, windowSeconds, failClosed: true }),
    ...(email ? [hitRateLimit({ name: "signin-account", key: email, limit: env.RATE_LIMIT_SIGNIN_ACCOUNT, windowSeconds, failClosed: true })] : []),
  ];
  const refused = (await Promise.all(checks)).find((r) => !r.allowed);
  if (refused) {
    const unavailable = refused.unavailable;
    await recordAudit({
      actorType: "USER",
      action: "auth.sign_in",
      result: "DENIED",
      metadata: { email: email || null, reason: unavailable ? "rate_limiter_unavailable" : "rate_limited" },
      meta,
    });
    return jsonError(
      unavailable ? 503 : 429,
      { error: unavailable ? "rate_limiter_unavailable" : "rate_limited", reason: unavailable ? "rateLimiterUnavailable" : "rateLimited", retryAfterSeconds: refused.retryAfterSeconds },
      { "Retry-After": String(refused.retryAfterSeconds) },
    );
  }
  return withAuthRequestMeta(meta, () => handlers.POST(req));
};
