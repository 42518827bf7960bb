/**
 * Workload limits (src/server/infra/workload-limits.ts) through the real route
 * handlers and the real tRPC HTTP handler, with real Auth.js session cookies and
 * the Postgres-backed limiter (the test default; the Redis path is
 * src/server/infra/workload-limits.redis.test.ts): each kind is refused per
 * user, per client IP (X-Forwarded-For, TRUSTED_PROXY_HOPS=1 in tests) and per
 * workspace with 429 + Retry-After and reason `rateLimited`; the workspace tier
 * is shared by its members and the IP tier by every user behind one address,
 * and neither leaks into another workspace. Every test uses its own tenants,
 * users and addresses (TEST-NET-3), so the shared database's other counters do
 * not matter.
 */
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it, vi } from "vitest";

const LIMITS = vi.hoisted(() => {
  const set: Record<string, string> = {
    RATE_LIMIT_CHAT_PER_MINUTE: "3",
    RATE_LIMIT_CHAT_IP_PER_MINUTE: "4",
    RATE_LIMIT_CHAT_TENANT_PER_MINUTE: "5",
    RATE_LIMIT_UPLOADS_PER_MINUTE: "2",
    RATE_LIMIT_UPLOADS_TENANT_PER_MINUTE: "3",
    RATE_LIMIT_MEETINGS_PER_HOUR: "2",
    RATE_LIMIT_MEETINGS_TENANT_PER_HOUR: "3",
    RATE_LIMIT_TASKS_PER_HOUR: "2",
    RATE_LIMIT_TASKS_TENANT_PER_HOUR: "3",
    RATE_LIMIT_TASKS_IP_PER_HOUR: "3",
    RATE_LIMIT_EXPORTS_PER_HOUR: "2",
    RATE_LIMIT_EXPORTS_TENANT_PER_HOUR: "3",
    RATE_LIMIT_EXPORTS_IP_PER_HOUR: "3",
  };
  // Before src/env.js is first imported; restored for later files in this worker.
  const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
  Object.assign(process.env, set);
  return { saved };
});

import { createSession, createTenantWithMembers, createUser, uid, type FactoryUser } from "../prisma/factories";
import { metricValue } from "./support/prometheus-text";
import { GET as adminExport } from "~/app/api/admin/audit/export/route";
import { POST as chatPost } from "~/app/api/t/[tenantSlug]/chat/route";
import { POST as uploadPost } from "~/app/api/t/[tenantSlug]/documents/route";
import { GET as tenantExport } from "~/app/api/t/[tenantSlug]/audit/export/route";
import { POST as trpcPost } from "~/app/api/trpc/[trpc]/route";
import { db } from "~/server/db/client";
import { hitRateLimit } from "~/server/infra/rate-limit";

afterAll(() => {
  for (const [k, v] of Object.entries(LIMITS.saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const APP = "http://localhost:3000";
/** A client address of its own (the IPv6 documentation range, random, so no other test or rerun shares it). */
const freshIp = () => `2001:db8:${randomBytes(2).toString("hex")}::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;

const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};

const baseHeaders = (cookie: string, ip: string) => ({ cookie, origin: APP, "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", "x-forwarded-for": ip });

const chat = (slug: string, cookie: string, ip: string) =>
  chatPost(new Request(`${APP}/api/t/${slug}/chat`, { method: "POST", headers: { ...baseHeaders(cookie, ip), "content-type": "application/json" }, body: "{}" }), {
    params: Promise.resolve({ tenantSlug: slug }),
  });
const upload = (slug: string, cookie: string, ip: string) =>
  uploadPost(
    new Request(`${APP}/api/t/${slug}/documents`, { method: "POST", headers: { ...baseHeaders(cookie, ip), "content-type": "application/octet-stream", "x-filename": "a.txt" }, body: new Uint8Array() }),
    { params: Promise.resolve({ tenantSlug: slug }) },
  );
const exportTenant = (slug: string, cookie: string, ip: string) =>
  tenantExport(new Request(`${APP}/api/t/${slug}/audit/export?format=json`, { headers: baseHeaders(cookie, ip) }), { params: Promise.resolve({ tenantSlug: slug }) });
const exportPlatform = (cookie: string, ip: string) => adminExport(new Request(`${APP}/api/admin/audit/export?format=json&tenant=${uid()}`, { headers: baseHeaders(cookie, ip) }));
/** A non-batched tRPC mutation through the real HTTP handler (responseMeta sets Retry-After). */
const mutate = (path: string, input: unknown, cookie: string, ip: string) =>
  trpcPost(new Request(`${APP}/api/trpc/${path}`, { method: "POST", headers: { ...baseHeaders(cookie, ip), "content-type": "application/json", host: "localhost:3000" }, body: JSON.stringify({ json: input }) }));

const routeError = async (res: Response) => ((await res.json()) as { error: { code: string; reason: string; message: string } }).error;
type TrpcError = { code: string; httpStatus: number; reason: string | null; retryAfterSeconds: number | null };
const trpcError = async (res: Response) => ((await res.json()) as { error: { json: { message: string; data: TrpcError } } }).error.json;

/** A 429 as every refusal must look: Retry-After in whole seconds ≥ 1, reason rateLimited, the tier named. */
const expectRouteRefusal = async (res: Response, tier: RegExp) => {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  const err = await routeError(res);
  expect(err).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rateLimited" });
  expect(err.message).toMatch(tier);
  return retryAfter;
};
const expectTrpcRefusal = async (res: Response, tier: RegExp) => {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  const err = await trpcError(res);
  expect(err.data).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rateLimited", retryAfterSeconds: retryAfter });
  expect(err.message).toMatch(tier);
};

const USER = /for your account/;
const IP = /from your network address/;
const TENANT = /in this workspace/;

describe("chat turns (POST /api/t/<slug>/chat)", () => {
  it("per user: the 4th turn in a minute is 429 with Retry-After; the same user's colleague is not affected", async () => {
    const f = await createTenantWithMembers();
    const [cookie, other] = [await cookieFor(f.member), await cookieFor(f.admin)];
    // "{}" passes the limits and is refused after them (400), so each one counts.
    for (let i = 0; i < 3; i++) expect((await chat(f.tenant.slug, cookie, freshIp())).status).toBe(400);
    await expectRouteRefusal(await chat(f.tenant.slug, cookie, freshIp()), USER);
    expect((await chat(f.tenant.slug, other, freshIp())).status).toBe(400);
  });

  it("per IP: users of different workspaces behind one address share it; another address is not affected", async () => {
    const [a, b] = [await createTenantWithMembers(), await createTenantWithMembers()];
    const [ca, cb] = [await cookieFor(a.member), await cookieFor(b.member)];
    const ip = freshIp();
    for (const [slug, cookie] of [[a.tenant.slug, ca], [a.tenant.slug, ca], [b.tenant.slug, cb], [b.tenant.slug, cb]] as const) expect((await chat(slug, cookie, ip)).status).toBe(400);
    await expectRouteRefusal(await chat(b.tenant.slug, cb, ip), IP);
    // The same user from another address is within every limit (2 of 3 for the account).
    expect((await chat(a.tenant.slug, ca, freshIp())).status).toBe(400);
  });

  it("per workspace: its members share the limit; another workspace is not affected; the refusal is counted by tier", async () => {
    const f = await createTenantWithMembers();
    const cookies = [await cookieFor(f.owner), await cookieFor(f.admin), await cookieFor(f.member)];
    const before = await metricValue("ocsuite_rate_limited_total", { ocsuite_limit: "chat-tenant" });
    for (const cookie of [cookies[0]!, cookies[0]!, cookies[1]!, cookies[1]!, cookies[2]!]) expect((await chat(f.tenant.slug, cookie, freshIp())).status).toBe(400);
    await expectRouteRefusal(await chat(f.tenant.slug, cookies[2]!, freshIp()), TENANT);
    expect(await metricValue("ocsuite_rate_limited_total", { ocsuite_limit: "chat-tenant" })).toBe(before + 1);
    // No leak: a member of another workspace is answered.
    const g = await createTenantWithMembers();
    expect((await chat(g.tenant.slug, await cookieFor(g.member), freshIp())).status).toBe(400);
  });

  it("user and IP both over: Retry-After is the longer of the two waits and the message names both tiers", async () => {
    const f = await createTenantWithMembers();
    const cookie = await cookieFor(f.member);
    const ip = freshIp();
    // The address's counter started an hour-long window (as if set by an earlier, longer rule):
    // its wait is far longer than the user's one-minute window.
    for (let i = 0; i < 4; i++) await hitRateLimit({ name: "chat-ip", key: ip, limit: 100, windowSeconds: 3600 });
    for (let i = 0; i < 3; i++) await chat(f.tenant.slug, cookie, freshIp());
    const res = await chat(f.tenant.slug, cookie, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect((await routeError(res)).message).toMatch(/for your account and from your network address/);
  });
});

describe("uploads (POST /api/t/<slug>/documents)", () => {
  it("per user, then per workspace across members, with 429 + Retry-After; another workspace is not affected", async () => {
    const f = await createTenantWithMembers();
    const [owner, member] = [await cookieFor(f.owner), await cookieFor(f.member)];
    // An empty file is refused after the limits (400), so each attempt counts.
    for (let i = 0; i < 2; i++) expect((await upload(f.tenant.slug, member, freshIp())).status).toBe(400);
    await expectRouteRefusal(await upload(f.tenant.slug, member, freshIp()), USER);
    expect((await upload(f.tenant.slug, owner, freshIp())).status).toBe(400);
    await expectRouteRefusal(await upload(f.tenant.slug, owner, freshIp()), TENANT);
    const g = await createTenantWithMembers();
    expect((await upload(g.tenant.slug, await cookieFor(g.member), freshIp())).status).toBe(400);
  });
});

describe("meetings and tasks (tRPC over the HTTP handler)", () => {
  it("meeting.create and meeting.resume share the per-user limit: 429 with Retry-After and retryAfterSeconds", async () => {
    const f = await createTenantWithMembers();
    const cookie = await cookieFor(f.member);
    const invalid = { tenantSlug: f.tenant.slug, title: "T", goal: "G", agenda: ["A"], personaKeys: ["cfo"], chairKey: "ceo", rounds: 1 };
    // Both pass the router's schema and are refused by the service after the limit (400 chair, 404 meeting).
    expect((await mutate("meeting.create", invalid, cookie, freshIp())).status).toBe(400);
    expect((await mutate("meeting.resume", { tenantSlug: f.tenant.slug, id: uid() }, cookie, freshIp())).status).toBe(404);
    await expectTrpcRefusal(await mutate("meeting.create", invalid, cookie, freshIp()), USER);
    await expectTrpcRefusal(await mutate("meeting.resume", { tenantSlug: f.tenant.slug, id: uid() }, cookie, freshIp()), USER);
  });

  it("meetings per workspace: members share it, another workspace is not affected", async () => {
    const f = await createTenantWithMembers();
    const [a, b] = [await cookieFor(f.admin), await cookieFor(f.member)];
    const resume = (slug: string, cookie: string) => mutate("meeting.resume", { tenantSlug: slug, id: uid() }, cookie, freshIp());
    for (const cookie of [a, a, b]) expect((await resume(f.tenant.slug, cookie)).status).toBe(404);
    await expectTrpcRefusal(await resume(f.tenant.slug, b), TENANT);
    const g = await createTenantWithMembers();
    expect((await resume(g.tenant.slug, await cookieFor(g.member))).status).toBe(404);
  });

  it("task.create and task.retry share the task limits: per user, then per workspace; nothing is written when refused", async () => {
    const f = await createTenantWithMembers();
    const [a, b] = [await cookieFor(f.admin), await cookieFor(f.member)];
    const retry = (cookie: string, ip = freshIp()) => mutate("task.retry", { tenantSlug: f.tenant.slug, id: uid() }, cookie, ip);
    const create = (cookie: string) => mutate("task.create", { tenantSlug: f.tenant.slug, personaKey: "cfo", title: `T ${uid()}`, description: "Refused before it is written." }, cookie, freshIp());
    for (let i = 0; i < 2; i++) expect((await retry(a)).status).toBe(404);
    await expectTrpcRefusal(await create(a), USER);
    expect((await retry(b)).status).toBe(404);
    await expectTrpcRefusal(await create(b), TENANT);
    expect(await db.task.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("tasks per IP: users of different workspaces behind one address share it", async () => {
    const [f, g] = [await createTenantWithMembers(), await createTenantWithMembers()];
    const [cf, cg] = [await cookieFor(f.member), await cookieFor(g.member)];
    const ip = freshIp();
    const retry = (slug: string, cookie: string) => mutate("task.retry", { tenantSlug: slug, id: uid() }, cookie, ip);
    for (const [slug, cookie] of [[f.tenant.slug, cf], [f.tenant.slug, cf], [g.tenant.slug, cg]] as const) expect((await retry(slug, cookie)).status).toBe(404);
    await expectTrpcRefusal(await retry(g.tenant.slug, cg), IP);
  });
});

describe("audit exports", () => {
  it("workspace export: per user (2 an hour), then per workspace across admins; the file is not produced when refused", async () => {
    const f = await createTenantWithMembers();
    const [owner, admin] = [await cookieFor(f.owner), await cookieFor(f.admin)];
    for (let i = 0; i < 2; i++) expect((await exportTenant(f.tenant.slug, owner, freshIp())).status).toBe(200);
    const refused = await exportTenant(f.tenant.slug, owner, freshIp());
    expect(refused.headers.get("content-disposition")).toBeNull();
    await expectRouteRefusal(refused, USER);
    expect((await exportTenant(f.tenant.slug, admin, freshIp())).status).toBe(200);
    await expectRouteRefusal(await exportTenant(f.tenant.slug, admin, freshIp()), TENANT);
    const g = await createTenantWithMembers();
    expect((await exportTenant(g.tenant.slug, await cookieFor(g.owner), freshIp())).status).toBe(200);
  });

  it("workspace export per IP: admins of different workspaces behind one address share it", async () => {
    const [f, g] = [await createTenantWithMembers(), await createTenantWithMembers()];
    const [cf, cg] = [await cookieFor(f.owner), await cookieFor(g.owner)];
    const ip = freshIp();
    expect((await exportTenant(f.tenant.slug, cf, ip)).status).toBe(200);
    expect((await exportTenant(f.tenant.slug, cf, ip)).status).toBe(200);
    expect((await exportTenant(g.tenant.slug, cg, ip)).status).toBe(200);
    await expectRouteRefusal(await exportTenant(g.tenant.slug, cg, ip), IP);
  });

  it("platform export: per admin (2 an hour) with 429 + Retry-After", async () => {
    const admin = await createUser({ isPlatformAdmin: true });
    const cookie = await cookieFor(admin);
    for (let i = 0; i < 2; i++) expect((await exportPlatform(cookie, freshIp())).status).toBe(200);
    await expectRouteRefusal(await exportPlatform(cookie, freshIp()), USER);
    const other = await createUser({ isPlatformAdmin: true });
    expect((await exportPlatform(await cookieFor(other), freshIp())).status).toBe(200);
  });
});
