/**
 * /api/trpc/* over real HTTP: the route module behind a Node HTTP server on a
 * loopback port, called with fetch and a real Auth.js session cookie. What an
 * attacker probing the API sees: cross-site mutations, NUL bytes and lone
 * surrogates in input, cacheable authenticated answers, 429s without
 * Retry-After, unlimited workspace creation.
 */
import { createServer } from "node:http";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, createUser, uid, type FactoryUser } from "../prisma/factories";
import { GET, POST } from "~/app/api/trpc/[trpc]/route";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { listenLocal, readBodyBytes } from "./support/mock-http";

let origin: string;
let close: () => Promise<void>;
const APP = "http://localhost:3000";

beforeAll(async () => {
  // A thin Node → fetch adapter: the same Request/Response the Next route gets.
  const server = createServer((req, res) => {
    void (async () => {
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBodyBytes(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`${APP}${req.url}`, { method: req.method, headers, body: body as BodyInit | undefined });
      const response = await (req.method === "GET" ? GET : POST)(request);
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(599);
      res.end(String(err));
    });
  });
  ({ origin, close } = await listenLocal(server));
});
afterAll(async () => {
  await close();
});

const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};

type Opts = { cookie?: string; origin?: string | null; ip?: string; fetchSite?: string };
const headersOf = (o: Opts) => {
  const h: Record<string, string> = { "content-type": "application/json", host: "localhost:3000", "x-forwarded-proto": "http" };
  if (o.cookie) h.cookie = o.cookie;
  if (o.origin !== null) h.origin = o.origin ?? APP;
  if (o.ip) h["x-forwarded-for"] = o.ip;
  if (o.fetchSite) h["sec-fetch-site"] = o.fetchSite;
  return h;
};

/** A non-batched tRPC mutation; the body is sent as written (raw JSON text, so lone surrogates survive). */
const mutate = (path: string, rawJsonInput: string, o: Opts = {}) =>
  fetch(`${origin}/api/trpc/${path}`, { method: "POST", headers: headersOf(o), body: `{"json":${rawJsonInput}}` });
const query = (path: string, input: unknown, o: Opts = {}) =>
  fetch(`${origin}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: headersOf({ ...o, origin: null }) });

type ErrorBody = { error: { json: { data: { code: string; httpStatus: number; reason: string | null; retryAfterSeconds: number | null } } } };
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error.json.data;

describe("cross-site mutations", () => {
  it("a POST from another origin is refused with 403 and a reason, and nothing is written", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    const before = await db.tenant.count();
    const res = await mutate("tenant.create", JSON.stringify({ name: "Evil Corp" }), { cookie, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: "FORBIDDEN", reason: "crossOrigin" });
    expect(await db.tenant.count()).toBe(before);
  });

  it("Sec-Fetch-Site: cross-site without Origin is refused too", async () => {
    const user = await createUser();
    const res = await mutate("tenant.create", JSON.stringify({ name: "Evil Corp" }), { cookie: await cookieFor(user), origin: null, fetchSite: "cross-site" });
    expect(res.status).toBe(403);
  });

  it("the same origin still works", async () => {
    const user = await createUser();
    const res = await mutate("tenant.create", JSON.stringify({ name: `Fine ${uid()}` }), { cookie: await cookieFor(user) });
    expect(res.status).toBe(200);
  });
});

describe("text Postgres cannot store", () => {
  it.each([
    ["a NUL byte", '"Acme\\u0000Corp"'],
    ["a lone high surrogate", '"Acme\\ud800Corp"'],
    ["a lone low surrogate", '"Acme\\udc00"'],
  ])("%s in a workspace name → 400 invalidInput, not 500", async (_n, name) => {
    const user = await createUser();
    const res = await mutate("tenant.create", `{"name":${name}}`, { cookie: await cookieFor(user) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).reason).toBe("invalidInput");
  });

  it("a NUL byte in a sign-up name → 400", async () => {
    const res = await mutate("account.signUp", JSON.stringify({ email: `nul-${uid()}@example.test`, name: "A\u0000B", password: "a-long-enough-password", acceptLegal: true }), {
      ip: `198.51.100.${Math.floor(Math.random() * 250)}`,
    });
    expect(res.status).toBe(400);
  });

  it("a sign-up without the Terms/Privacy box ticked → 400 legalNotAccepted (a localised reason), and no account", async () => {
    const email = `no-terms-${uid()}@example.test`;
    const res = await mutate("account.signUp", JSON.stringify({ email, name: "No Terms", password: "a-long-enough-password", acceptLegal: false }), {
      ip: `198.51.100.${Math.floor(Math.random() * 250)}`,
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "BAD_REQUEST", reason: "legalNotAccepted" });
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("a valid surrogate pair (an emoji) is accepted", async () => {
    const user = await createUser();
    const res = await mutate("tenant.create", JSON.stringify({ name: `Rocket 🚀 ${uid()}` }), { cookie: await cookieFor(user) });
    expect(res.status).toBe(200);
  });
});

describe("caching", () => {
  it("an authenticated query answers Cache-Control: no-store", async () => {
    const user = await createUser();
    const res = await query("account.me", undefined, { cookie: await cookieFor(user) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  it("errors are not cacheable either", async () => {
    const res = await query("account.me", undefined, {});
    expect(res.status).toBe(401);
    expect(res.headers.get("cache-control")).toContain("no-store");
  });
});

describe("rate limits answer 429 with Retry-After", () => {
  it("sign-up over the per-IP limit", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    let res: Response | undefined;
    for (let i = 0; i <= env.RATE_LIMIT_SIGNIN_IP + 1; i++) {
      res = await mutate("account.signUp", JSON.stringify({ email: `flood-${uid()}@example.test`, name: "F", password: "a-long-enough-password", acceptLegal: true }), { ip });
      if (res.status === 429) break;
    }
    expect(res!.status).toBe(429);
    const retryAfter = Number(res!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(await errorOf(res!)).toMatchObject({ reason: "rateLimited", retryAfterSeconds: retryAfter });
  });

  it("workspace creation over the per-user limit", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    let res: Response | undefined;
    let created = 0;
    for (let i = 0; i <= env.RATE_LIMIT_TENANT_CREATE_PER_HOUR + 1; i++) {
      res = await mutate("tenant.create", JSON.stringify({ name: `Flood ${uid()}` }), { cookie });
      if (res.status !== 200) break;
      created++;
    }
    expect(created).toBe(env.RATE_LIMIT_TENANT_CREATE_PER_HOUR);
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(res!)).reason).toBe("rateLimited");
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(created);
  });
});
