import "server-only";
import { env } from "~/env";
import { AppError } from "~/server/errors";
import { hitRateLimit, type RateLimitResult, type RateLimitRule } from "./rate-limit";

/*
 * Backpressure on the expensive workloads: each kind is limited per client IP,
 * per user and per workspace (tenant), fixed windows on the app's limiter
 * (rate-limit.ts: Redis, else Postgres, with the in-memory insurance limiter;
 * these limits fail open). A refusal is AppError TOO_MANY_REQUESTS
 * `rateLimited` with Retry-After, i.e. 429 from a route handler and from tRPC.
 * The limits, their variables and defaults are tabled in docs/ARCHITECTURE.md
 * ("Workload limits") and README.md.
 */

export const WORKLOAD_KINDS = ["chat", "upload", "meeting", "task", "export"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export const LIMIT_TIERS = ["user", "ip", "tenant"] as const;
export type LimitTier = (typeof LIMIT_TIERS)[number];

export type WorkloadLimits = { windowSeconds: number } & Record<LimitTier, number>;

const MINUTE = 60;
const HOUR = 3600;

/** What one hit is, for the (English) refusal message. */
const NOUNS: Record<WorkloadKind, string> = { chat: "chat messages", upload: "uploads", meeting: "meetings", task: "tasks", export: "exports" };
const TIER_TEXT: Record<LimitTier, string> = { user: "for your account", ip: "from your network address", tenant: "in this workspace" };

/** The limits of one kind, read from the environment on every call (tests change it). */
export const workloadLimits = (kind: WorkloadKind): WorkloadLimits => {
  switch (kind) {
    case "chat":
      return { windowSeconds: MINUTE, user: env.RATE_LIMIT_CHAT_PER_MINUTE, tenant: env.RATE_LIMIT_CHAT_TENANT_PER_MINUTE, ip: env.RATE_LIMIT_CHAT_IP_PER_MINUTE };
    case "upload":
      return { windowSeconds: MINUTE, user: env.RATE_LIMIT_UPLOADS_PER_MINUTE, tenant: env.RATE_LIMIT_UPLOADS_TENANT_PER_MINUTE, ip: env.RATE_LIMIT_UPLOADS_IP_PER_MINUTE };
    case "meeting":
      return { windowSeconds: HOUR, user: env.RATE_LIMIT_MEETINGS_PER_HOUR, tenant: env.RATE_LIMIT_MEETINGS_TENANT_PER_HOUR, ip: env.RATE_LIMIT_MEETINGS_IP_PER_HOUR };
    case "task":
      return { windowSeconds: HOUR, user: env.RATE_LIMIT_TASKS_PER_HOUR, tenant: env.RATE_LIMIT_TASKS_TENANT_PER_HOUR, ip: env.RATE_LIMIT_TASKS_IP_PER_HOUR };
    case "export":
      return { windowSeconds: HOUR, user: env.RATE_LIMIT_EXPORTS_PER_HOUR, tenant: env.RATE_LIMIT_EXPORTS_TENANT_PER_HOUR, ip: env.RATE_LIMIT_EXPORTS_IP_PER_HOUR };
  }
};

/** Who is asking. No IP (a server started without the peer-address preload, a job) or no tenant (a platform route): that tier is not counted. */
export type WorkloadActor = { ip?: string | null; userId: string; tenantId?: string | null };

/** The actor of a request context (TenantCtx, or a platform route's user and meta). */
export const actorOf = (ctx: { userId: string; tenantId?: string; meta: { ip?: string | null } }): WorkloadActor => ({
  ip: ctx.meta.ip,
  userId: ctx.userId,
  tenantId: ctx.tenantId,
});

type TierRule = RateLimitRule & { tier: LimitTier };

/** The rule of each tier that applies; the metric's `ocsuite.limit` is the rule name, `<kind>-<tier>`. */
const rulesOf = (kind: WorkloadKind, who: WorkloadActor): Record<LimitTier, TierRule | null> => {
  const limits = workloadLimits(kind);
  const rule = (tier: LimitTier, key: string | null | undefined): TierRule | null =>
    key ? { tier, name: `${kind}-${tier}`, key, limit: limits[tier], windowSeconds: limits.windowSeconds } : null;
  return { user: rule("user", who.userId), ip: rule("ip", who.ip), tenant: rule("tenant", who.tenantId) };
};

type Refusal = RateLimitResult & { tier: LimitTier };

const hitAll = async (rules: (TierRule | null)[]): Promise<Refusal[]> => {
  const applied = rules.filter((r): r is TierRule => r !== null);
  const results = await Promise.all(applied.map((r) => hitRateLimit(r)));
  return results.flatMap((res, i) => (res.allowed ? [] : [{ ...res, tier: applied[i]!.tier }]));
};

const refusalError = (kind: WorkloadKind, refused: Refusal[]): AppError => {
  const longest = refused.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
  const tiers = refused.map((r) => TIER_TEXT[r.tier]).join(" and ");
  return new AppError("TOO_MANY_REQUESTS", "rateLimited", `Too many ${NOUNS[kind]} ${tiers}; try again in ${longest.retryAfterSeconds} s`, {
    retryAfterSeconds: longest.retryAfterSeconds,
  });
};

/**
 * Counts one `kind` request against its per-user, per-IP and per-workspace
 * limits and throws `rateLimited` (429, Retry-After the longest wait of the
 * tiers that refused) when any is exceeded. The user and IP tiers are counted
 * first (together); the workspace tier only when both allow, so one member
 * hammering past their own limit does not use up their colleagues' workspace
 * allowance. Every refusal adds to `ocsuite.rate_limited` with
 * `ocsuite.limit` = `<kind>-<tier>` (rate-limit.ts).
 */
export const enforceWorkloadLimit = async (kind: WorkloadKind, who: WorkloadActor): Promise<void> => {
  const rules = rulesOf(kind, who);
  const actor = await hitAll([rules.user, rules.ip]);
  if (actor.length > 0) throw refusalError(kind, actor);
  const tenant = await hitAll([rules.tenant]);
  if (tenant.length > 0) throw refusalError(kind, tenant);
};
