import "server-only";
import { hasRole, type TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import type { TenantCtx, UserCtx } from "../context";

/**
 * Resolves the tenant named in a request for the signed-in user.
 * - no such tenant, or the user is not a member → NOT_FOUND (we do not reveal
 *   which tenants exist; platform admins get no implicit access either);
 * - suspended tenant → FORBIDDEN (tenantSuspended);
 * - role below `minRole` → FORBIDDEN (roleTooLow).
 */
export const resolveTenantContext = async (user: UserCtx, tenantSlug: string, minRole: TRole): Promise<TenantCtx> => {
  const membership = await db.membership.findFirst({
    where: { userId: user.userId, tenant: { slug: tenantSlug } },
    select: { role: true, tenant: { select: { id: true, slug: true, status: true } } },
  });
  if (!membership) throw notFound("Workspace");
  if (membership.tenant.status === "SUSPENDED") {
    throw new AppError("FORBIDDEN", "tenantSuspended", "This workspace is suspended");
  }
  if (!hasRole(membership.role, minRole)) {
    throw new AppError("FORBIDDEN", "roleTooLow", `This action needs the ${minRole} role or higher`);
  }
  return { ...user, tenantId: membership.tenant.id, tenantSlug: membership.tenant.slug, role: membership.role };
};
