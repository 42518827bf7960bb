// Tenant roles, ordered. Universal: used by the server for checks and by the UI
// to decide which controls to show (the server always re-checks).
export const ROLES = ["VIEWER", "MEMBER", "ADMIN", "OWNER"] as const;
export type TRole = (typeof ROLES)[number];

export const roleRank = (role: TRole): number => ROLES.indexOf(role);
export const hasRole = (role: TRole, minRole: TRole): boolean => roleRank(role) >= roleRank(minRole);
