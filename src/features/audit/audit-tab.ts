import "server-only";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";

/** Whether the signed-in user sees the workspace's Audit tab: owners and admins (the page and API check again). */
export const canSeeAudit = async (tenantSlug: string): Promise<boolean> => {
  const mine = await api.tenant.list().catch(() => []);
  const role = mine.find((x) => x.slug === tenantSlug)?.role;
  return role !== undefined && hasRole(role, "ADMIN");
};
