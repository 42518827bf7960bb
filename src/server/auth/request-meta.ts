import type { RequestMeta } from "~/server/services/context";

/**
 * Client IP and user agent from request headers. We run behind a proxy that
 * sets x-forwarded-for (Vercel, a load balancer); its first entry is the
 * client. Deployments without such a proxy must strip client-sent
 * x-forwarded-for at the edge (docs/runbooks/deploy.md).
 */
export const requestMetaFrom = (headers: Headers): RequestMeta => {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || headers.get("x-real-ip") || null,
    userAgent: headers.get("user-agent"),
  };
};
