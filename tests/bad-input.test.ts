/**
 * Malformed input through the real router: BAD_REQUEST, and nothing written.
 * Well-formed but unknown tenant slugs: NOT_FOUND (existence not revealed).
 */
import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser } from "../prisma/factories";
import { db } from "~/server/db/client";
import { callerFor } from "./support/trpc";

const counts = async () => {
  const [users, tenants, memberships, invitations, audit, mail] = await Promise.all([
    db.user.count(),
    db.tenant.count(),
    db.membership.count(),
    db.invitation.count(),
    db.auditEvent.count(),
    db.devMail.count(),
  ]);
  return { users, tenants, memberships, invitations, audit, mail };
};

type Api = ReturnType<typeof callerFor>;
const call = (api: Api, path: string, input: unknown) => {
  const [r, p] = path.split(".") as [string, string];
  return (api as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[r]![p]!(input);
};

describe("malformed input → BAD_REQUEST, nothing written", () => {
  const huge = "x".repeat(100_000);
  const cases: [string, string, (slug: string, ids: { membershipId: string }) => unknown][] = [
    ["tenant.create: name is a number", "tenant.create", () => ({ name: 42 })],
    ["tenant.create: name missing", "tenant.create", () => ({})],
    ["tenant.create: oversized name", "tenant.create", () => ({ name: huge })],
    ["tenant.create: invalid slug", "tenant.create", () => ({ name: "Fine Name", slug: "Not A Slug!" })],
    ["tenant.create: reserved slug", "tenant.create", () => ({ name: "Fine Name", slug: "admin" })],
    ["tenant.get: slug with path characters", "tenant.get", () => ({ tenantSlug: "../etc/passwd" })],
    ["tenant.get: slug is a number", "tenant.get", () => ({ tenantSlug: 12345 })],
    ["tenant.get: oversized slug", "tenant.get", () => ({ tenantSlug: "a".repeat(200) })],
    ["tenant.get: no input at all", "tenant.get", () => undefined],
    ["tenant.rename: oversized name", "tenant.rename", (slug) => ({ tenantSlug: slug, name: huge })],
    ["tenant.rename: blank name", "tenant.rename", (slug) => ({ tenantSlug: slug, name: "   " })],
    ["member.changeRole: unknown role", "member.changeRole", (slug, ids) => ({ tenantSlug: slug, membershipId: ids.membershipId, role: "SUPERUSER" })],
    ["member.changeRole: oversized id", "member.changeRole", (slug) => ({ tenantSlug: slug, membershipId: huge, role: "ADMIN" })],
    ["member.remove: id is an object", "member.remove", (slug) => ({ tenantSlug: slug, membershipId: { $ne: null } })],
    ["invitation.create: unknown role", "invitation.create", (slug) => ({ tenantSlug: slug, role: "GOD" })],
    ["invitation.create: bad email", "invitation.create", (slug) => ({ tenantSlug: slug, role: "MEMBER", email: "not-an-email" })],
    ["invitation.create: oversized email", "invitation.create", (slug) => ({ tenantSlug: slug, role: "MEMBER", email: `${"a".repeat(400)}@example.test` })],
    ["invitation.accept: token too short", "invitation.accept", () => ({ token: "short" })],
    ["invitation.accept: token with bad characters", "invitation.accept", () => ({ token: "a".repeat(30) + "'; DROP TABLE" })],
    ["invitation.preview: oversized token", "invitation.preview", () => ({ token: "a".repeat(5000) })],
    ["account.signUp: bad email", "account.signUp", () => ({ email: "nope", name: "N", password: "a-long-enough-password", acceptLegal: true })],
    ["account.signUp: short password", "account.signUp", () => ({ email: "ok@example.test", name: "N", password: "short", acceptLegal: true })],
    ["account.signUp: oversized password", "account.signUp", () => ({ email: "ok2@example.test", name: "N", password: huge, acceptLegal: true })],
    ["account.signUp: unknown locale", "account.signUp", () => ({ email: "ok3@example.test", name: "N", password: "a-long-enough-password", locale: "xx", acceptLegal: true })],
    ["account.signUp: terms not accepted", "account.signUp", () => ({ email: "ok4@example.test", name: "N", password: "a-long-enough-password", acceptLegal: false })],
    ["account.setLocale: unknown locale", "account.setLocale", () => ({ locale: "klingon" })],
    ["admin.users: take out of range", "admin.users", () => ({ take: 10_000 })],
    ["admin.tenants: oversized query", "admin.tenants", () => ({ query: huge })],
    // Text Postgres cannot store: refused at the boundary (src/lib/safe-text.ts), not a 500 from the insert.
    ["tenant.create: NUL byte in name", "tenant.create", () => ({ name: "Acme\u0000Corp" })],
    ["tenant.create: lone surrogate in name", "tenant.create", () => ({ name: "Acme\ud800Corp" })],
    ["tenant.rename: NUL byte in name", "tenant.rename", (slug) => ({ tenantSlug: slug, name: "Re\u0000named" })],
    ["account.signUp: NUL byte in name", "account.signUp", () => ({ email: "nul@example.test", name: "A\u0000B", password: "a-long-enough-password", acceptLegal: true })],
    ["admin.tenants: lone surrogate in query", "admin.tenants", () => ({ query: "\udc00" })],
  ];

  it.each(cases)("%s", async (_name, path, input) => {
    const f = await createTenantWithMembers();
    // The owner is also a platform admin here, so admin.* reach input validation.
    await db.user.update({ where: { id: f.owner.id }, data: { isPlatformAdmin: true } });
    const api = callerFor({ ...f.owner, isPlatformAdmin: true });
    const before = await counts();
    const tenantBefore = await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } });
    const localeBefore = (await db.user.findUniqueOrThrow({ where: { id: f.owner.id } })).locale;

    const err = await call(api, path, input(f.tenant.slug, { membershipId: f.member.membershipId })).then(
      () => null,
      (e: unknown) => e as { code: string; cause?: unknown },
    );
    expect(err, "the call should have been refused").not.toBeNull();
    expect(err!.code).toBe("BAD_REQUEST");
    expect((err!.cause as Error | undefined)?.name).toBe("ZodError");

    // admin.* writes its own audit event even for refused input; nothing else may change.
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    if (!path.startsWith("admin.")) expect(after.audit).toBe(before.audit);
    expect(await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).toEqual(tenantBefore);
    expect((await db.user.findUniqueOrThrow({ where: { id: f.owner.id } })).locale).toBe(localeBefore);
    expect((await db.membership.findUniqueOrThrow({ where: { id: f.member.membershipId } })).role).toBe("MEMBER");
  });
});

describe("unknown but well-formed tenant slug → NOT_FOUND", () => {
  it.each([
    ["tenant.get", (slug: string) => ({ tenantSlug: slug })],
    ["tenant.rename", (slug: string) => ({ tenantSlug: slug, name: "New Name" })],
    ["member.list", (slug: string) => ({ tenantSlug: slug })],
    ["member.leave", (slug: string) => ({ tenantSlug: slug })],
    ["invitation.create", (slug: string) => ({ tenantSlug: slug, role: "MEMBER" })],
  ] as const)("%s", async (path, input) => {
    const u = await createUser();
    const before = await counts();
    await expect(call(callerFor(u), path, input("no-such-workspace-here"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await counts()).toEqual(before);
  });

  it("is indistinguishable from an existing tenant the caller is not in", async () => {
    const f = await createTenantWithMembers();
    const outsider = await createUser();
    const unknown = await call(callerFor(outsider), "tenant.get", { tenantSlug: "no-such-workspace-here" }).catch((e: { code: string; message: string }) => e);
    const foreign = await call(callerFor(outsider), "tenant.get", { tenantSlug: f.tenant.slug }).catch((e: { code: string; message: string }) => e);
    expect((unknown as { code: string }).code).toBe("NOT_FOUND");
    expect({ code: (foreign as { code: string }).code, message: (foreign as { message: string }).message }).toEqual({
      code: (unknown as { code: string }).code,
      message: (unknown as { message: string }).message,
    });
  });
});
