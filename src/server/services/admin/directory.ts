import "server-only";
import { db } from "~/server/db/client";

// Platform-admin views of the whole service. The admin procedures audit every
// call (see platformAdminProcedure), so these functions stay plain reads.

export const listAllTenants = async (input: { query?: string; take: number }) => {
  const rows = await db.tenant.findMany({
    where: input.query ? { OR: [{ name: { contains: input.query, mode: "insensitive" } }, { slug: { contains: input.query.toLowerCase() } }] } : {},
    orderBy: { createdAt: "desc" },
    take: input.take,
    select: { id: true, slug: true, name: true, status: true, plan: true, createdAt: true, _count: { select: { memberships: true } } },
  });
  return rows.map(({ _count, ...t }) => ({ ...t, memberCount: _count.memberships }));
};

export const listAllUsers = async (input: { query?: string; take: number }) => {
  const rows = await db.user.findMany({
    where: input.query ? { OR: [{ email: { contains: input.query.toLowerCase() } }, { name: { contains: input.query, mode: "insensitive" } }] } : {},
    orderBy: { createdAt: "desc" },
    take: input.take,
    select: { id: true, email: true, name: true, isPlatformAdmin: true, disabledAt: true, createdAt: true, _count: { select: { memberships: true } } },
  });
  return rows.map(({ _count, ...u }) => ({ ...u, tenantCount: _count.memberships }));
};
