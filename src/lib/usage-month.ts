/*
 * The calendar month a workspace's token budget counts (UTC), shared by the
 * server (TenantTokenUsage.month, the reset date in errors) and the UI (the
 * reset date it shows next to a refusal).
 */

/** The month `now` falls in, UTC, as "YYYY-MM" (TenantTokenUsage.month). */
export const usageMonth = (now: Date): string => now.toISOString().slice(0, 7);

/** When the month's budget starts over: the first instant of the next UTC month. */
export const monthResetAt = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

/** Usage at or above this share of the budget sends the owners a one-off notice for the month. */
export const TOKEN_BUDGET_WARNING_PERCENT = 80;
