import { expect, test } from "@playwright/test";
import { E2E_METRICS_TOKEN, E2E_SIGNIN_ACCOUNT_LIMIT, E2E_SIGNIN_IP_LIMIT } from "../support/env.mjs";
import { DEMO_TENANT, demo, perFileClientIp, signInWithApi, trpc, uniqueEmail } from "../support/fixtures";

test.use(perFileClientIp());

test.describe("HTTP surface", () => {
  test("health answers 200 with the database check", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.checks.database.status).toBe("ok");
  });

  test("metrics need the bearer token and then serve Prometheus text", async ({ request }) => {
    expect((await request.get("/api/metrics")).status()).toBe(401);
    expect((await request.get("/api/metrics", { headers: { authorization: "Bearer wrong-token-000000000" } })).status()).toBe(401);
    await trpc.query(request, "tenant.list"); // make sure at least one procedure was measured
    const res = await request.get("/api/metrics", { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
    expect(res.status()).toBe(200);
    const text = await res.text();
    expect(text).toContain("# TYPE http_server_request_duration histogram");
    expect(text).toMatch(/http_server_request_duration_count\{[^}]*rpc_method="tenant.list"/);
  });

  test("anonymous calls to protected procedures are 401", async ({ request }) => {
    const res = await trpc.query(request, "tenant.list");
    expect(res.status()).toBe(401);
  });
});

test.describe("bad input gets a clear 4xx and writes nothing", () => {
  test("malformed tRPC input is 400 with the field named", async ({ request }) => {
    await signInWithApi(request, demo("OWNER"));
    const before = await (await trpc.query(request, "tenant.list")).json();
    const res = await trpc.mutation(request, "tenant.create", { name: 42 });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body.error.json.data.reason).toBe("invalidInput");
    expect(JSON.stringify(body.error.json.data.zodError)).toContain("name");
    const after = await (await trpc.query(request, "tenant.list")).json();
    expect(after.result.data.json.length).toBe(before.result.data.json.length);
  });

  test("a body that is not JSON is 400", async ({ request }) => {
    await signInWithApi(request, demo("OWNER"));
    const res = await request.post("/api/trpc/tenant.create", { data: "{not json", headers: { "content-type": "application/json" } });
    expect(res.status()).toBe(400);
  });

  test("an oversized body is 413 before anything runs", async ({ request }) => {
    await signInWithApi(request, demo("OWNER"));
    const res = await trpc.mutation(request, "tenant.create", { name: "x".repeat(2 * 1024 * 1024) });
    expect(res.status()).toBe(413);
    expect((await res.json()).error.reason).toBe("payloadTooLarge");
  });

  test("an unknown tenant slug is 404, an invalid one 400", async ({ request }) => {
    await signInWithApi(request, demo("OWNER"));
    expect((await trpc.query(request, "tenant.get", { tenantSlug: "no-such-workspace" })).status()).toBe(404);
    expect((await trpc.query(request, "tenant.get", { tenantSlug: "Not A Slug!" })).status()).toBe(400);
  });

  test("another tenant's workspace is 404 and a low role is 403", async ({ request }) => {
    await signInWithApi(request, demo("VIEWER"));
    expect((await trpc.query(request, "tenant.get", { tenantSlug: DEMO_TENANT.slug })).status()).toBe(200);
    expect((await trpc.mutation(request, "tenant.rename", { tenantSlug: DEMO_TENANT.slug, name: "Hacked" })).status()).toBe(403);
    const get = await (await trpc.query(request, "tenant.get", { tenantSlug: DEMO_TENANT.slug })).json();
    expect(get.result.data.json.name).toBe(DEMO_TENANT.name);
  });

  test("an unknown invitation token is 404", async ({ request }) => {
    const res = await trpc.query(request, "invitation.preview", { token: "A".repeat(43) });
    expect(res.status()).toBe(404);
  });
});

test.describe("sign-in rate limits", () => {
  test(`per account: attempt ${E2E_SIGNIN_ACCOUNT_LIMIT + 1} is 429 with Retry-After`, { tag: "@critical" }, async ({ request }) => {
    const email = uniqueEmail("locked");
    for (let i = 0; i < E2E_SIGNIN_ACCOUNT_LIMIT; i++) {
      const res = await signInWithApi(request, email, "wrong-password-123", { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 254) + 1}` });
      expect(res.status()).not.toBe(429);
    }
    const res = await signInWithApi(request, email, "wrong-password-123", { "x-forwarded-for": "198.51.100.99" });
    expect(res.status()).toBe(429);
    expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await res.json()).reason).toBe("rateLimited");
  });

  test(`per IP: attempt ${E2E_SIGNIN_IP_LIMIT + 1} from one address is 429`, async ({ request }) => {
    test.setTimeout(120_000);
    // A fresh address per run: with Redis the counters outlive the run (15-minute window), and
    // CI may run twice in a row on one machine. A header value only; nothing is contacted.
    const ip = `198.19.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;
    for (let i = 0; i < E2E_SIGNIN_IP_LIMIT; i++) {
      const res = await signInWithApi(request, uniqueEmail("ip"), "wrong-password-123", { "x-forwarded-for": ip });
      expect(res.status()).not.toBe(429);
    }
    const res = await signInWithApi(request, uniqueEmail("ip"), "wrong-password-123", { "x-forwarded-for": ip });
    expect(res.status()).toBe(429);
    expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
  });
});
