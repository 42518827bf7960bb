/**
 * GET /api/t/[tenantSlug]/audit/export through the real route module: a real
 * Auth.js session cookie (a JWT naming a Session row), real tenant resolution
 * and role check, the real export and its audit event.
 */
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { createSession, createTenantWithMembers, type FactoryUser } from "../prisma/factories";
import { GET } from "~/app/api/t/[tenantSlug]/audit/export/route";
import { db } from "~/server/db/client";
import { appendAuditEvent } from "~/server/services/audit/audit";

const APP = "http://localhost:3000";

/** The session cookie Auth.js would have set at sign-in. */
const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};

const get = (slug: string, query: string, cookie?: string) =>
  GET(new Request(`${APP}/api/t/${slug}/audit/export?${query}`, { headers: { "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...(cookie ? { cookie } : {}) } }), { params: Promise.resolve({ tenantSlug: slug }) });

const setup = async () => {
  const t = await createTenantWithMembers();
  const other = await createTenantWithMembers();
  await appendAuditEvent({ tenantId: t.tenant.id, actorId: t.owner.id, actorType: "USER", action: "member.role_changed", targetId: "@SUM(A1:A9)" });
  await appendAuditEvent({ tenantId: other.tenant.id, actorId: other.owner.id, actorType: "USER", action: "member.other_tenant" });
  return { ...t, other };
};

describe("GET /api/t/[slug]/audit/export", () => {
  it("CSV for an admin: attachment, the tenant's events only, formula cells neutralised, audited", async () => {
    const fx = await setup();
    const res = await get(fx.tenant.slug, "format=csv", await cookieFor(fx.admin));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="audit-${fx.tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const body = await res.text();
    expect(body.split("\r\n")[0]).toBe("seq,createdAt,actorType,actorEmail,actorName,action,targetType,targetId,result,ip,metadata");
    expect(body).toContain("member.role_changed");
    expect(body).toContain(",'@SUM(A1:A9),");
    expect(body).not.toContain("member.other_tenant");
    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: fx.tenant.id, action: "audit.exported" } });
    expect(ev).toMatchObject({ actorId: fx.admin.id, metadata: { format: "csv", count: 1 } });
  });

  it("JSON with filters", async () => {
    const fx = await setup();
    const res = await get(fx.tenant.slug, `format=json&action=member.&actor=${encodeURIComponent(fx.owner.email)}&from=2000-01-01T00:00:00Z`, await cookieFor(fx.owner));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const json = (await res.json()) as { tenant: string; events: { action: string; actorEmail: string }[] };
    expect(json.events).toEqual([expect.objectContaining({ action: "member.role_changed", actorEmail: fx.owner.email })]);
  });

  it("refuses: anonymous 401, members 403, non-members 404, bad format or dates 400 — and audits nothing", async () => {
    const fx = await setup();
    expect((await get(fx.tenant.slug, "format=csv")).status).toBe(401);
    expect((await get(fx.tenant.slug, "format=csv", await cookieFor(fx.member))).status).toBe(403);
    expect((await get(fx.tenant.slug, "format=csv", await cookieFor(fx.viewer))).status).toBe(403);
    expect((await get(fx.tenant.slug, "format=csv", await cookieFor(fx.other.owner))).status).toBe(404);
    expect((await get("not a slug!", "format=csv", await cookieFor(fx.owner))).status).toBe(404);
    const adminCookie = await cookieFor(fx.admin);
    const bad = await get(fx.tenant.slug, "format=xlsx", adminCookie);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "BAD_REQUEST", reason: "invalidInput" } });
    expect((await get(fx.tenant.slug, "format=csv&from=yesterday", adminCookie)).status).toBe(400);
    expect((await get(fx.tenant.slug, "format=csv&actorType=ROOT", adminCookie)).status).toBe(400);
    expect(await db.auditEvent.count({ where: { chain: fx.tenant.id, action: "audit.exported" } })).toBe(0);
  });
});
