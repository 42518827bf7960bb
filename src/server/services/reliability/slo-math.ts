// Pure SLO arithmetic, shared by the database and the in-process figures.

/** Budget left below this fraction is "at risk": still within objective, but a bad day away from breaching it. */
const AT_RISK_BUDGET = 0.25;

export type TSloState = "ok" | "atRisk" | "breached" | "noData";

/**
 * Error budget remaining = 1 − bad / (total × (1 − objective)): 1 when nothing
 * went wrong, 0 when exactly the allowed number of bad events happened,
 * negative when the budget is overspent. null without events (no budget to spend).
 */
export const errorBudgetRemaining = (good: number, total: number, objective: number): number | null => {
  if (total <= 0) return null;
  const bad = total - good;
  return 1 - bad / (total * (1 - objective));
};

export const sloState = (remaining: number | null): TSloState => {
  if (remaining === null) return "noData";
  if (remaining < 0) return "breached";
  return remaining < AT_RISK_BUDGET ? "atRisk" : "ok";
};

/** The SLO's figures from its good and total counts. */
export const sloFigures = (good: number, total: number, objective: number) => {
  const remaining = errorBudgetRemaining(good, total, objective);
  return { good, total, bad: total - good, ratio: total > 0 ? good / total : null, budgetRemaining: remaining, state: sloState(remaining) };
};
