import "server-only";
import { LRUCache } from "lru-cache";
import { monthResetAt, TOKEN_BUDGET_WARNING_PERCENT, usageMonth } from "~/lib/usage-month";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";

/*
 * Per-tenant monthly token budgets (backpressure): what a workspace may spend
 * on model calls in a UTC calendar month, set by a platform admin
 * (Tenant.monthlyTokenBudget; null = unlimited).
 *
 *  - recordTokenUsage: every recorded model call (the gateway, next to its
 *    LlmCall row) adds its input + output tokens to TenantTokenUsage with one
 *    atomic upsert, so concurrent calls never lose an increment.
 *  - assertWithinBudget: before a model call is started (chat at the start of
 *    a turn, meetings and tasks in askPersona): the budget (cached here, see
 *    below) and one primary-key read. At or over the budget it throws
 *    tokenBudgetExhausted. A call already running when the month's usage
 *    crosses the budget is allowed to finish and is counted in full: cutting
 *    an answer off mid-stream would waste what was already spent and leave
 *    the user half an answer. So the overrun is bounded by the calls in flight
 *    at the moment of crossing (chat turns, meeting turns, task steps).
 *  - At TOKEN_BUDGET_WARNING_PERCENT the owners get one TenantNotice per month
 *    (kind token_budget.warning), exactly once however many calls cross at
 *    the same time: the notice is written by whoever wins a conditional
 *    update of Tenant.tokenBudgetWarnedMonth.
 *
 * The budget is cached per tenant for BUDGET_CACHE_TTL_MS: it is read before
 * every model call and changes rarely. setTokenBudget invalidates this
 * process's entry at once; other processes (the worker fleet, other web
 * instances) see the change within the TTL.
 */

export const TOKEN_BUDGET_WARNING_KIND = "token_budget.warning";
export const BUDGET_CACHE_TTL_MS = 30_000;
/** TenantTokenUsage.tokens is a 32-bit int: a month's total saturates rather than overflowing and failing the write. */
const MAX_TOKENS = 2_147_483_647;

type CachedBudget = { budget: number | null };

const budgets = new LRUCache<string, CachedBudget>({
  max: 10_000,
  ttl: BUDGET_CACHE_TTL_MS,
  // fetch() shares one read among concurrent callers, and a delete() while a
  // read is in flight discards that read, so an invalidation cannot be undone
  // by a read that started before the admin's change.
  fetchMethod: async (tenantId) => {
    const row = await db.tenant.findUnique({ where: { id: tenantId }, select: { monthlyTokenBudget: true } });
    return { budget: row?.monthlyTokenBudget ?? null };
  },
});

/** The tenant's monthly budget in tokens (null = unlimited), from the cache. */
export const budgetOf = async (tenantId: string): Promise<number | null> => (await budgets.fetch(tenantId))?.budget ?? null;

/** Drops the cached budget (this process) after an admin changed it. */
export const invalidateTokenBudget = (tenantId: string): void => {
  budgets.delete(tenantId);
};

/** Tokens the tenant used in the month of `now` (one primary-key read). */
export const tokensUsed = async (tenantId: string, now: Date): Promise<number> => {
  const row = await db.tenantTokenUsage.findUnique({ where: { tenantId_month: { tenantId, month: usageMonth(now) } }, select: { tokens: true } });
  return row?.tokens ?? 0;
};

/**
 * The month's budget is spent. PRECONDITION_FAILED, not 429: nothing is
 * wrong with the request or its rate, and retrying soon does not help; the
 * workspace's state has to change first (a platform admin raises the budget,
 * or the month rolls over) — what 412 already means here for a disabled
 * persona or a missing model. Not FORBIDDEN: that is reserved for
 * authorisation (the matrix and the UI read 403 as "your role cannot").
 * The app has no payment/quota code (402), and adding one to every mapping
 * for this alone would say nothing 412 does not.
 * retryAfterSeconds is the time to the reset, so the UI can name the date.
 */
export class TokenBudgetExhaustedError extends AppError {
  readonly budget: number;
  readonly used: number;
  readonly resetsAt: Date;

  constructor(opts: { budget: number; used: number; resetsAt: Date; now: Date }) {
    super("PRECONDITION_FAILED", "tokenBudgetExhausted", `This workspace has used ${opts.used} of its ${opts.budget} tokens this month; the budget resets at ${opts.resetsAt.toISOString()}`, {
      retryAfterSeconds: Math.max(1, Math.ceil((opts.resetsAt.getTime() - opts.now.getTime()) / 1000)),
    });
    this.budget = opts.budget;
    this.used = opts.used;
    this.resetsAt = opts.resetsAt;
  }
}

/**
 * Refuses (TokenBudgetExhaustedError) when the tenant has used its month's
 * budget; call it before starting a model call. Unlimited tenants cost no
 * database read while their budget is cached.
 */
export const assertWithinBudget = async (tenantId: string, opts: { now?: Date } = {}): Promise<void> => {
  const budget = await budgetOf(tenantId);
  if (budget === null) return;
  const now = opts.now ?? new Date();
  const used = await tokensUsed(tenantId, now);
  if (used < budget) return;
  throw new TokenBudgetExhaustedError({ budget, used, resetsAt: monthResetAt(now), now });
};

const overWarningLine = (used: number, budget: number) => used * 100 >= budget * TOKEN_BUDGET_WARNING_PERCENT;

/**
 * The owners' notice the first time in a month usage reaches the warning line.
 * The conditional update is the lock: of any number of concurrent callers,
 * exactly one sees its row (the others re-check the committed month and match
 * nothing), and it writes the notice in the same transaction. The SQL re-reads
 * the budget, so a stale cached one can delay a notice, never send a wrong one.
 */
const warnOnce = async (tenantId: string, used: number, now: Date): Promise<boolean> => {
  const month = usageMonth(now);
  return db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ monthlyTokenBudget: number }[]>`
      UPDATE "Tenant" SET "tokenBudgetWarnedMonth" = ${month}
       WHERE "id" = ${tenantId}
         AND "monthlyTokenBudget" IS NOT NULL
         AND ${used}::bigint * 100 >= "monthlyTokenBudget"::bigint * ${TOKEN_BUDGET_WARNING_PERCENT}
         AND "tokenBudgetWarnedMonth" IS DISTINCT FROM ${month}
      RETURNING "monthlyTokenBudget"`;
    const budget = claimed[0]?.monthlyTokenBudget;
    if (budget === undefined) return false;
    await tx.tenantNotice.create({
      data: { tenantId, kind: TOKEN_BUDGET_WARNING_KIND, data: { month, budget, used, percent: TOKEN_BUDGET_WARNING_PERCENT, resetsAt: monthResetAt(now).toISOString() } },
    });
    logger.info({ tenantId, month, budget, used }, "token budget warning sent");
    return true;
  });
};

/**
 * Adds a model call's tokens to the tenant's month (an atomic upsert
 * increment) and sends the 80 % notice when this call reached it. Returns the
 * month's new total. Called once per recorded model call, by the gateway.
 */
export const recordTokenUsage = async (tenantId: string, tokens: number, opts: { now?: Date } = {}): Promise<number> => {
  const n = Math.min(MAX_TOKENS, Math.max(0, Math.floor(tokens)));
  const now = opts.now ?? new Date();
  const [row] = await db.$queryRaw<{ tokens: number }[]>`
    INSERT INTO "TenantTokenUsage" ("tenantId", "month", "tokens", "updatedAt")
    VALUES (${tenantId}, ${usageMonth(now)}, ${n}, now())
    ON CONFLICT ("tenantId", "month") DO UPDATE
       SET "tokens" = LEAST("TenantTokenUsage"."tokens"::bigint + EXCLUDED."tokens", ${MAX_TOKENS})::int,
           "updatedAt" = now()
    RETURNING "tokens"`;
  const total = row?.tokens ?? 0;
  const budget = n > 0 ? await budgetOf(tenantId) : null;
  if (budget !== null && overWarningLine(total, budget)) await warnOnce(tenantId, total, now);
  return total;
};

export type TokenBudgetStatus = {
  /** null = unlimited. */
  monthlyTokens: number | null;
  used: number;
  /** "YYYY-MM", UTC. */
  month: string;
  resetsAt: Date;
  exhausted: boolean;
  /** At or over the warning line (and not unlimited). */
  warning: boolean;
};

/** Where the tenant stands this month, read fresh (pages and admin views, not the hot path). */
export const getTokenBudgetStatus = async (tenantId: string, opts: { now?: Date } = {}): Promise<TokenBudgetStatus> => {
  const now = opts.now ?? new Date();
  const [tenant, used] = await Promise.all([db.tenant.findUnique({ where: { id: tenantId }, select: { monthlyTokenBudget: true } }), tokensUsed(tenantId, now)]);
  const monthlyTokens = tenant?.monthlyTokenBudget ?? null;
  return {
    monthlyTokens,
    used,
    month: usageMonth(now),
    resetsAt: monthResetAt(now),
    exhausted: monthlyTokens !== null && used >= monthlyTokens,
    warning: monthlyTokens !== null && overWarningLine(used, monthlyTokens),
  };
};
