/**
 * Test data helpers. They write through the app's own Prisma client, so they
 * need DATABASE_URL (the vitest global setup provides a fresh database).
 * Every helper makes unique emails/slugs, so tests never collide.
 */
import { randomBytes } from "node:crypto";
import type { TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { hashPassword } from "~/server/infra/password";
import type { RequestMeta, TenantCtx, UserCtx } from "~/server/services/context";

export const DEFAULT_PASSWORD = "correct horse battery staple";
export const TEST_META: RequestMeta = { ip: "127.0.0.1", userAgent: "vitest" };

export const uid = (n = 5) => randomBytes(n).toString("hex");

// scrypt at N=2^15 costs ~100 ms; hash the default password once per worker.
let defaultHash: Promise<string> | undefined;
const passwordHashFor = (password: string) =>
  password === DEFAULT_PASSWORD ? (defaultHash ??= hashPassword(DEFAULT_PASSWORD)) : hashPassword(password);

export type FactoryUser = { id: string; email: string; name: string | null; isPlatformAdmin: boolean };

/** A verified account unless `emailVerified: false` (an unverified password sign-up holds no session). */
export const createUser = async (
  opts: { email?: string; name?: string; password?: string | null; isPlatformAdmin?: boolean; emailVerified?: boolean } = {},
): Promise<FactoryUser> => {
  const email = (opts.email ?? `user-${uid()}@example.test`).toLowerCase();
  const passwordHash = opts.password === null ? null : await passwordHashFor(opts.password ?? DEFAULT_PASSWORD);
  return db.user.create({
    data: {
      email,
      name: opts.name ?? email.split("@")[0]!,
      passwordHash,
      isPlatformAdmin: opts.isPlatformAdmin ?? false,
      emailVerified: opts.emailVerified === false ? null : new Date(),
    },
    select: { id: true, email: true, name: true, isPlatformAdmin: true },
  });
};

export const createTenant = async (opts: { name?: string; slug?: string; status?: "ACTIVE" | "SUSPENDED" } = {}) => {
  const slug = opts.slug ?? `t-${uid()}`;
  return db.tenant.create({ data: { slug, name: opts.name ?? `Tenant ${slug}`, status: opts.status ?? "ACTIVE" }, select: { id: true, slug: true, name: true, status: true } });
};

export const addMember = async (tenantId: string, userId: string, role: TRole) =>
  db.membership.create({ data: { tenantId, userId, role }, select: { id: true, role: true, userId: true, tenantId: true } });

export type Member = FactoryUser & { membershipId: string; role: TRole };

const memberOf = async (tenantId: string, role: TRole, label: string): Promise<Member> => {
  const user = await createUser({ email: `${label}-${uid()}@example.test` });
  const m = await addMember(tenantId, user.id, role);
  return { ...user, membershipId: m.id, role };
};

/** A tenant with one user per role. */
export const createTenantWithMembers = async (opts: { name?: string; slug?: string; status?: "ACTIVE" | "SUSPENDED" } = {}) => {
  const tenant = await createTenant(opts);
  const [owner, admin, member, viewer] = await Promise.all([
    memberOf(tenant.id, "OWNER", "owner"),
    memberOf(tenant.id, "ADMIN", "admin"),
    memberOf(tenant.id, "MEMBER", "member"),
    memberOf(tenant.id, "VIEWER", "viewer"),
  ]);
  return { tenant, owner, admin, member, viewer };
};
export type TenantFixture = Awaited<ReturnType<typeof createTenantWithMembers>>;

export const userCtxOf = (user: { id: string; isPlatformAdmin?: boolean }): UserCtx => ({
  userId: user.id,
  isPlatformAdmin: user.isPlatformAdmin ?? false,
  meta: TEST_META,
});

export const tenantCtxOf = (tenant: { id: string; slug: string }, user: { id: string; isPlatformAdmin?: boolean }, role: TRole): TenantCtx => ({
  ...userCtxOf(user),
  tenantId: tenant.id,
  tenantSlug: tenant.slug,
  role,
});

/** A server-side session row, as next-auth's sign-in writes it. */
export const createSession = async (userId: string) =>
  db.session.create({
    data: { userId, sessionToken: `sess-${uid(16)}`, expires: new Date(Date.now() + 86_400_000) },
    select: { id: true, sessionToken: true },
  });
