/**
 * The route kit against real Postgres and real Auth.js session cookies:
 * tenantRoute and platformAdminRoute wrapped around tiny handlers, so each
 * rule (session, origin, tenant role, AppError mapping, span and metric) is
 * checked on its own, independently of any product route.
 */
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it } from "vitest";
import { createSession, createTenantWithMembers, createUser, type FactoryUser } from "../../../../prisma/factories";
import { metricValue } from "../../../../tests/support/prometheus-text";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";

// The tracer provider must be global before ~/server/infra/tracing's tracer is used, hence the dynamic imports.
const spans = new InMemorySpanExporter();
trace.disable();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
const { tenantRoute } = await import("./tenant-route");
const { platformAdminRoute } = await import("./platform-admin-route");

const APP = "http://localhost:3000";
const ROUTE = "/api/t/[tenantSlug]/kit-test";

beforeEach(() => spans.reset());

const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return { cookie: `authjs.session-token=${jwt}`, sessionToken };
};

type Call = { method?: string; cookie?: string; origin?: string | null; headers?: Record<string, string>; body?: string };
const requestFor = (slug: string, o: Call = {}) => {
  const headers: Record<string, string> = { "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...o.headers };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.origin !== null && o.origin !== undefined) headers.origin = o.origin;
  return new Request(`${APP}/api/t/${slug}/kit-test`, { method: o.method ?? "POST", headers, body: o.body });
};

/** A MEMBER route whose handler echoes who and where it ran, or throws what the test asks for. */
const echo = tenantRoute(
  "MEMBER",
  async ({ req, user, tenant }) => {
    const fail = req.headers.get("x-fail");
    if (fail === "rate") throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "slow down", { retryAfterSeconds: 7 });
    if (fail === "unsupported") throw new AppError("BAD_REQUEST", "unsupportedFileType", "not a document");
    if (fail === "internal-app") throw new AppError("INTERNAL_SERVER_ERROR", "internalError", "secret detail");
    if (fail === "crash") throw new Error("secret crash detail");
    return Response.json({ userId: user.id, tenantId: tenant.tenantId, role: tenant.role });
  },
  { route: ROUTE },
);
const call = (slug: string, o: Call = {}) => echo(requestFor(slug, o), { params: Promise.resolve({ tenantSlug: slug }) });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; reason: string; message: string } }).error;

const setup = async () => {
  const f = await createTenantWithMembers();
  const member = await cookieFor(f.member);
  return { ...f, slug: f.tenant.slug, ...member };
};

describe("tenantRoute: who may call", () => {
  it("runs the handler for a member with the tenant context", async () => {
    const f = await setup();
    const res = await call(f.slug, { cookie: f.cookie, origin: APP });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: f.member.id, tenantId: f.tenant.id, role: "MEMBER" });
  });

  it("401 unauthenticated without a session, and with a revoked one", async () => {
    const f = await setup();
    const anon = await call(f.slug, { origin: APP });
    expect(anon.status).toBe(401);
    expect(await errorOf(anon)).toEqual({ code: "UNAUTHORIZED", reason: "unauthenticated", message: "Sign in first" });
    await db.session.delete({ where: { sessionToken: f.sessionToken } });
    expect((await call(f.slug, { cookie: f.cookie, origin: APP })).status).toBe(401);
  });

  it("403 crossOrigin for a cross-site unsafe request before the session is looked at; safe methods are not checked", async () => {
    const f = await setup();
    const evil = await call(f.slug, { cookie: f.cookie, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await errorOf(evil)).toMatchObject({ code: "FORBIDDEN", reason: "crossOrigin" });
    // Anonymous too: the origin check comes first.
    expect((await call(f.slug, { origin: "https://evil.example" })).status).toBe(403);
    expect((await call(f.slug, { cookie: f.cookie, headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await call(f.slug, { cookie: f.cookie, origin: "null" })).status).toBe(403);
    // Same origin (APP_URL), and no Origin at all (not a browser: no ambient cookie), pass.
    expect((await call(f.slug, { cookie: f.cookie, origin: APP })).status).toBe(200);
    expect((await call(f.slug, { cookie: f.cookie })).status).toBe(200);
    expect((await call(f.slug, { method: "GET", cookie: f.cookie, origin: "https://evil.example" })).status).toBe(200);
  });

  it("403 roleTooLow below the minimum role, 403 tenantSuspended, 404 for unknown, foreign or malformed workspaces — never 401", async () => {
    const f = await setup();
    const viewer = await cookieFor(f.viewer);
    const low = await call(f.slug, { cookie: viewer.cookie, origin: APP });
    expect(low.status).toBe(403);
    expect(await errorOf(low)).toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });

    const other = await createTenantWithMembers();
    for (const slug of ["no-such-workspace", other.tenant.slug, "../etc", "Not A Slug!"]) {
      const res = await call(slug, { cookie: f.cookie, origin: APP });
      expect(res.status, slug).toBe(404);
      expect(await errorOf(res)).toMatchObject({ code: "NOT_FOUND", reason: "notFound" });
    }

    // Platform admins get no implicit access to tenants either.
    const staff = await cookieFor(await createUser({ isPlatformAdmin: true }));
    expect((await call(f.slug, { cookie: staff.cookie, origin: APP })).status).toBe(404);

    await db.tenant.update({ where: { id: f.tenant.id }, data: { status: "SUSPENDED" } });
    const suspended = await call(f.slug, { cookie: f.cookie, origin: APP });
    expect(suspended.status).toBe(403);
    expect(await errorOf(suspended)).toMatchObject({ reason: "tenantSuspended" });
  });
});

describe("tenantRoute: one AppError → Response mapping", () => {
  it("status, code, reason and message from the AppError, with Retry-After when it has one", async () => {
    const f = await setup();
    const res = await call(f.slug, { cookie: f.cookie, origin: APP, headers: { "x-fail": "rate" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await errorOf(res)).toEqual({ code: "TOO_MANY_REQUESTS", reason: "rateLimited", message: "slow down" });
  });

  it("unsupportedFileType is HTTP's 415", async () => {
    const f = await setup();
    const res = await call(f.slug, { cookie: f.cookie, origin: APP, headers: { "x-fail": "unsupported" } });
    expect(res.status).toBe(415);
    expect(res.headers.get("retry-after")).toBeNull();
    expect(await errorOf(res)).toEqual({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "unsupportedFileType", message: "not a document" });
  });

  it("internal errors, AppError or not, are a 500 that leaks no detail", async () => {
    const f = await setup();
    const app = await call(f.slug, { cookie: f.cookie, origin: APP, headers: { "x-fail": "internal-app" } });
    expect(app.status).toBe(500);
    expect(await errorOf(app)).toEqual({ code: "INTERNAL_SERVER_ERROR", reason: "internalError", message: "Internal server error" });
    const crash = await call(f.slug, { cookie: f.cookie, origin: APP, headers: { "x-fail": "crash" } });
    expect(crash.status).toBe(500);
    expect(await errorOf(crash)).toEqual({ code: "INTERNAL_SERVER_ERROR", reason: "internalError", message: "Internal server error" });
  });
});

describe("tenantRoute: telemetry", () => {
  const countOf = (status: number, route = ROUTE, extra: Record<string, string> = {}) =>
    metricValue("http_server_request_duration_count", { http_route: route, http_response_status_code: String(status), ...extra });

  it("one server span per request with the HTTP semconv attributes, and a duration sample labelled by outcome", async () => {
    const f = await setup();
    const okBefore = await countOf(200);
    const forbiddenBefore = await countOf(403);
    const crashedBefore = await countOf(500, ROUTE, { error_type: "INTERNAL_SERVER_ERROR" });
    await call(f.slug, { cookie: f.cookie, origin: APP });
    await call(f.slug, { cookie: (await cookieFor(f.viewer)).cookie, origin: APP });
    await call(f.slug, { cookie: f.cookie, origin: APP, headers: { "x-fail": "crash" } });

    const server = spans.getFinishedSpans().filter((s) => s.name === `POST ${ROUTE}`);
    expect(server).toHaveLength(3);
    expect(server[0]!.attributes).toMatchObject({
      "http.route": ROUTE,
      "http.request.method": "POST",
      "http.response.status_code": 200,
      "enduser.id": f.member.id,
      "ocsuite.tenant.id": f.tenant.id,
    });
    expect(server[1]!.attributes).toMatchObject({ "http.response.status_code": 403, "error.type": "roleTooLow" });
    expect(server[1]!.status.code).toBe(0); // a refusal is not a server error
    expect(server[2]!.attributes).toMatchObject({ "http.response.status_code": 500 });
    expect(server[2]!.status.code).toBe(2); // SpanStatusCode.ERROR

    expect(await countOf(200)).toBe(okBefore + 1);
    expect(await countOf(403)).toBe(forbiddenBefore + 1);
    expect(await countOf(500, ROUTE, { error_type: "INTERNAL_SERVER_ERROR", http_request_method: "POST" })).toBe(crashedBefore + 1);
  });

  it("measureUntil keeps the span open until a streamed answer is over", async () => {
    const f = await setup();
    let finish!: (status: string) => void;
    const streamed = tenantRoute(
      "VIEWER",
      async ({ measureUntil }) => {
        measureUntil(new Promise<string>((resolve) => (finish = resolve)));
        return new Response("streaming…");
      },
      { route: "/api/t/[tenantSlug]/kit-stream" },
    );
    const STREAM_ROUTE = "/api/t/[tenantSlug]/kit-stream";
    const streamedBefore = await countOf(200, STREAM_ROUTE, { http_request_method: "GET" });
    const res = await streamed(requestFor(f.slug, { method: "GET", cookie: f.cookie }), { params: Promise.resolve({ tenantSlug: f.slug }) });
    expect(res.status).toBe(200);
    expect(spans.getFinishedSpans().filter((s) => s.name.endsWith("kit-stream"))).toHaveLength(0);
    finish("STOPPED");
    await new Promise((r) => setTimeout(r, 0));
    const [span] = spans.getFinishedSpans().filter((s) => s.name === "GET /api/t/[tenantSlug]/kit-stream");
    expect(span?.attributes["http.response.status_code"]).toBe(200);
    // Measured once the stream is over: the 200 that went out, and no error.type for a stop.
    expect(await metricValue("http_server_request_duration_count", { http_route: STREAM_ROUTE, http_response_status_code: "200" }, ["error_type"])).toBe(streamedBefore + 1);
  });
});

describe("platformAdminRoute", () => {
  const ADMIN_ROUTE = "/api/admin/kit-test";
  const adminOnly = platformAdminRoute(async ({ user }) => Response.json({ admin: user.id }), { route: ADMIN_ROUTE, action: "admin.kitTest" });
  const adminCall = (o: Call) => {
    const headers: Record<string, string> = { "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.origin ? { origin: o.origin } : {}) };
    return adminOnly(new Request(`${APP}${ADMIN_ROUTE}?q=1`, { method: o.method ?? "GET", headers }));
  };

  it("401 anonymous; 403 (audited as DENIED) for a signed-in non-admin; the handler for a platform admin", async () => {
    expect((await adminCall({})).status).toBe(401);

    const user = await createUser();
    const denied = await adminCall({ cookie: (await cookieFor(user)).cookie });
    expect(denied.status).toBe(403);
    expect(await errorOf(denied)).toEqual({ code: "FORBIDDEN", reason: "forbidden", message: "Platform admins only" });
    expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: user.id, action: "admin.kitTest" } })).toMatchObject({
      chain: "platform",
      result: "DENIED",
      actorType: "USER",
      metadata: { query: { q: "1" } },
    });

    const admin = await createUser({ isPlatformAdmin: true });
    const ok = await adminCall({ cookie: (await cookieFor(admin)).cookie });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ admin: admin.id });
    expect(spans.getFinishedSpans().filter((s) => s.name === `GET ${ADMIN_ROUTE}`).at(-1)?.attributes).toMatchObject({ "http.route": ADMIN_ROUTE, "http.response.status_code": 200 });
  });

  it("refuses a cross-site unsafe request, even from an admin", async () => {
    const admin = await createUser({ isPlatformAdmin: true });
    const res = await adminCall({ method: "POST", cookie: (await cookieFor(admin)).cookie, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ reason: "crossOrigin" });
  });
});
