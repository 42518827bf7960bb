import "server-only";
import { slugify } from "~/lib/slug";
import { db } from "~/server/db/client";
import { openTenantProfile, sealTenantProfile } from "~/server/db/keys/content-keys";
import { env } from "~/env";
import { AppError } from "~/server/errors";
import { hitRateLimit } from "~/server/infra/rate-limit";
import { recordAudit } from "../audit/audit";
import type { TenantStatus } from "~/server/db/generated/client";
import type { TenantCtx, UserCtx } from "../context";

export type TenantSummary = { id: string; slug: string; name: string; role: TRoleOut; status: TenantStatus };
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
  // Per user, an hourly window (RATE_LIMIT_TENANT_CREATE_PER_HOUR): every workspace is rows, a
  // reserved slug and an audit chain, and one scripted account must not mint them without end.
  const limit = await hitRateLimit({ name: "tenant-create", key: user.userId, limit: env.RATE_LIMIT_TENANT_CREATE_PER_HOUR, windowSeconds: 3600 });
  if (!limit.allowed) {
    throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many workspaces created; wait before creating another", { retryAfterSeconds: limit.retryAfterSeconds });
  }
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
  // The member count by tenantId, not `_count: { memberships }`: Prisma's relation count aggregates
  // every tenant's memberships before joining, a sequential scan (tests/query-plans.test.ts).
  const [tenant, memberCount] = await Promise.all([
    db.tenant
      .findUniqueOrThrow({
        where: { id: ctx.tenantId },
        select: { id: true, slug: true, name: true, status: true, plan: true, industry: true, description: true, createdAt: true },
      })
      .then((t) => openTenantProfile(ctx.tenantId, t)),
    db.membership.count({ where: { tenantId: ctx.tenantId } }),
  ]);
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    plan: tenant.plan,
    industry: tenant.industry,
    description: tenant.description,
    createdAt: tenant.createdAt,
    memberCount,
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

/** Empty text from a form clears the field. */
const textOrNull = (v: string | null | undefined) => {
  const t = v?.trim();
  return t ? t : null;
};

/**
 * The tenant profile (industry, description) that every persona's system
 * prompt carries. No cache invalidation is needed: compiled prompts are keyed
 * by a hash that includes the profile, so the next chat compiles afresh.
 * Audited with the names of the changed fields only (the description is the
 * tenant's own prose and may be confidential).
 */
export const MAX_INDUSTRY = 80;
export const MAX_DESCRIPTION = 1000;

export const updateTenantProfile = async (ctx: TenantCtx, input: { industry?: string | null; description?: string | null }) => {
  // The router validates too; this keeps the limits true for every caller (jobs, scripts).
  if ((input.industry?.trim().length ?? 0) > MAX_INDUSTRY || (input.description?.trim().length ?? 0) > MAX_DESCRIPTION) {
    throw new AppError("BAD_REQUEST", "invalidInput", "Industry or description is too long");
  }
  const before = await openTenantProfile(ctx.tenantId, await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { industry: true, description: true } }));
  const next = {
    industry: input.industry === undefined ? before.industry : textOrNull(input.industry),
    description: input.description === undefined ? before.description : textOrNull(input.description),
  };
  const changed = (["industry", "description"] as const).filter((f) => next[f] !== before[f]);
  // Sealed under the workspace's content key (ADR 0015): a backup from before its deletion does not show it.
  await db.tenant.update({ where: { id: ctx.tenantId }, data: await sealTenantProfile(ctx.tenantId, next), select: { id: true } });
  const tenant = { id: ctx.tenantId, ...next };
  if (changed.length > 0) {
    await recordAudit({
      tenantId: ctx.tenantId,
      actorId: ctx.userId,
      actorType: "USER",
      action: "tenant.profile_update",
      targetType: "tenant",
      targetId: ctx.tenantId,
      metadata: { changed },
      meta: ctx.meta,
    });
  }
  return tenant;
};
