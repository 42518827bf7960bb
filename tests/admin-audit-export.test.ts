/**
 * GET /api/admin/audit/export through the real route module, with real
 * Auth.js session cookies: platform admins get a streamed CSV (RFC 4180,
 * formula cells neutralised) or JSON file of the filtered audit log, everyone
 * else is refused, and every attempt is itself audited.
 */
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { createSession, createTenant, createUser, type FactoryUser } from "../prisma/factories";
import { GET } from "~/app/api/admin/audit/export/route";
import { db } from "~/server/db/client";
import { AUDIT_EXPORT_ROUTE } from "~/server/http/admin-audit-export";
import { appendAuditEvent } from "~/server/services/audit/audit";

const APP = "http://localhost:3000";

const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};

const exportAs = (cookie: string | null, query: Record<string, string>) => {
  const headers: Record<string, string> = { "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", "user-agent": "vitest-export" };
  if (cookie) headers.cookie = cookie;
  return GET(new Request(`${APP}${AUDIT_EXPORT_ROUTE}?${new URLSearchParams(query)}`, { headers }));
};

/** A minimal RFC 4180 parser, to prove the file round-trips. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error("CSV did not end with CRLF");
  return rows;
};

/** A tenant whose events carry hostile strings: quotes, commas, line breaks and formulas. */
const hostileTenant = async () => {
  const tenant = await createTenant();
  const actor = await createUser();
  await appendAuditEvent({ tenantId: tenant.id, actorId: actor.id, actorType: "USER", action: "member.invited", targetType: "+cmd", targetId: '@SUM(1,2)', metadata: { note: 'said "hi", then\r\nleft' } });
  await appendAuditEvent({ tenantId: tenant.id, actorId: actor.id, actorType: "USER", action: "-2+3", targetId: "plain" });
  return { tenant, actor };
};

describe("GET /api/admin/audit/export", () => {
  it("CSV: a header and one RFC 4180 record per event, formula cells prefixed with a quote", async () => {
    const { tenant, actor } = await hostileTenant();
    const admin = await createUser({ isPlatformAdmin: true });
    const res = await exportAs(await cookieFor(admin), { format: "csv", tenant: tenant.slug });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-.+\.csv"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    const [header, ...records] = parseCsv(text);
    expect(header!.slice(0, 10)).toEqual(["id", "createdAt", "chain", "seq", "tenantId", "tenantSlug", "actorId", "actorEmail", "actorType", "action"]);
    expect(records).toHaveLength(2);
    const col = (r: string[], name: string) => r[header!.indexOf(name)];
    // Newest first.
    expect(col(records[0]!, "action")).toBe("'-2+3");
    expect(col(records[1]!, "action")).toBe("member.invited");
    expect(col(records[1]!, "targetType")).toBe("'+cmd");
    expect(col(records[1]!, "targetId")).toBe("'@SUM(1,2)");
    expect(col(records[1]!, "actorEmail")).toBe(actor.email);
    expect(JSON.parse(col(records[1]!, "metadata")!)).toEqual({ note: 'said "hi", then\r\nleft' });
    // Quoting happened in the raw bytes, not just in the parser's head.
    expect(text).toContain('"\'@SUM(1,2)"');
  });

  it("JSON: an array of the same events with actor emails and tenant slugs", async () => {
    const { tenant, actor } = await hostileTenant();
    const admin = await createUser({ isPlatformAdmin: true });
    const res = await exportAs(await cookieFor(admin), { format: "json", tenant: tenant.slug, action: "member." });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await res.json()) as Array<Record<string, unknown>>;
    expect(body).toEqual([
      expect.objectContaining({ action: "member.invited", tenantSlug: tenant.slug, actorEmail: actor.email, targetId: "@SUM(1,2)", metadata: { note: 'said "hi", then\r\nleft' } }),
    ]);
  });

  it("an empty result is an empty JSON array and a header-only CSV", async () => {
    const admin = await createUser({ isPlatformAdmin: true });
    const cookie = await cookieFor(admin);
    expect(await (await exportAs(cookie, { format: "json", tenant: "no-such-workspace" })).json()).toEqual([]);
    expect(parseCsv(await (await exportAs(cookie, { tenant: "no-such-workspace" })).text())).toHaveLength(1);
  });

  it("the export itself is audited with its filter", async () => {
    const admin = await createUser({ isPlatformAdmin: true });
    await (await exportAs(await cookieFor(admin), { format: "json", action: "tenant." })).text();
    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: "platform", actorId: admin.id, action: "admin.auditExport" } });
    expect(ev).toMatchObject({ result: "SUCCESS", actorType: "PLATFORM_ADMIN", userAgent: "vitest-export", metadata: { format: "json", query: { format: "json", action: "tenant." } } });
  });

  it("a signed-in non-admin gets 403, and the refusal is audited", async () => {
    const user = await createUser();
    const res = await exportAs(await cookieFor(user), { format: "csv" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "FORBIDDEN", reason: "forbidden", message: "Platform admins only" } });
    expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: user.id, action: "admin.auditExport" } })).toMatchObject({ result: "DENIED", actorType: "USER" });
  });

  it("anonymous callers get 401; a bad filter gets 400", async () => {
    expect((await exportAs(null, { format: "csv" })).status).toBe(401);
    const admin = await createUser({ isPlatformAdmin: true });
    const res = await exportAs(await cookieFor(admin), { format: "xml" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { reason: "invalidInput" } });
    expect((await exportAs(await cookieFor(admin), { from: "not-a-date" })).status).toBe(400);
  });
});
