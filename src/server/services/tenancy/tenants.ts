import "server-only";
import { slugify } from "~/lib/slug";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { TenantCtx, UserCtx } from "../context";

export type TenantSummary = { id: string; slug: string; name: string; role: TRoleOut; status: "ACTIVE" | "SUSPENDED" };
type TRoleOut = "OWNER" | "ADMIN" | "MEMBER" | "VIEWER";

export const listMyTenants = async (user: UserCtx): Promise<TenantSummary[]> => {
  const rows = await db.membership.findMany({
    where: { userId: user.userId },
    orderBy: { tenant: { name: "asc" } },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true, status: true } } },
  });
  return rows.map((m) => ({ ...m.tenant, role: m.role }));
};

const uniqueSlug = async (base: string): Promise<string> => {
  for (let i = 0; i < 20; i++) {
    const candidate = i === 0 ? base : `${base.slice(0, 40)}-${Math.random().toString(36).slice(2, 6)}`;
    const taken = await db.tenant.findUnique({ where: { slug: candidate }, select: { id: true } });
    if (!taken) return candidate;
  }
  throw new AppError("CONFLICT", "slugTaken", "Could not find a free workspace address");
};

/** Creates a workspace with the caller as its first OWNER. */
export const createTenant = async (user: UserCtx, input: { name: string; slug?: string }) => {
  let slug: string;
  if (input.slug) {
    const taken = await db.tenant.findUnique({ where: { slug: input.slug }, select: { id: true } });
    if (taken) throw new AppError("CONFLICT", "slugTaken", "That workspace address is taken");
    slug = input.slug;
  } else {
    slug = await uniqueSlug(slugify(input.name));
  }
  const tenant = await db.tenant.create({
    data: { name: input.name, slug, memberships: { create: { userId: user.userId, role: "OWNER" } } },
    select: { id: true, slug: true, name: true, status: true },
  });
  await recordAudit({
    tenantId: tenant.id,
    actorId: user.userId,
    actorType: "USER",
    action: "tenant.created",
    targetType: "tenant",
    targetId: tenant.id,
    metadata: { slug: tenant.slug, name: tenant.name },
    meta: user.meta,
  });
  return { ...tenant, role: "OWNER" as const };
};

export const getTenant = async (ctx: TenantCtx) => {
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: ctx.tenantId },
    select: { id: true, slug: true, name: true, status: true, plan: true, createdAt: true, _count: { select: { memberships: true } } },
  });
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    plan: tenant.plan,
    createdAt: tenant.createdAt,
    memberCount: tenant._count.memberships,
    role: ctx.role,
  };
};

export const renameTenant = async (ctx: TenantCtx, input: { name: string }) => {
  const before = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { name: true } });
  const tenant = await db.tenant.update({ where: { id: ctx.tenantId }, data: { name: input.name }, select: { id: true, slug: true, name: true } });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "tenant.renamed",
    targetType: "tenant",
    targetId: ctx.tenantId,
    metadata: { from: before.name, to: input.name },
    meta: ctx.meta,
  });
  return tenant;
};
