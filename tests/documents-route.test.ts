/**
 * POST /api/t/[tenantSlug]/documents and GET …/documents/[documentId]/original
 * through the real route modules: a real Auth.js session cookie (a JWT naming a
 * Session row, checked by the jwt callback), real tenant resolution, rate
 * limits, the streaming size cap, the fs storage driver (a temporary folder)
 * and a real local Inngest executor receiving the ingestion events.
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Small limits so the size, quota and rate tests stay fast; set before src/env.js is imported.
const ENV = vi.hoisted(() => {
  const root = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-documents-route-test-${process.pid}-${Date.now()}`;
  const saved = Object.fromEntries(
    ["STORAGE_DRIVER", "STORAGE_FS_ROOT", "KNOWLEDGE_MAX_FILE_BYTES", "KNOWLEDGE_TENANT_QUOTA_BYTES", "RATE_LIMIT_UPLOADS_PER_MINUTE"].map((k) => [k, process.env[k]]),
  );
  process.env.STORAGE_DRIVER = "fs";
  process.env.STORAGE_FS_ROOT = root;
  process.env.KNOWLEDGE_MAX_FILE_BYTES = String(256 * 1024);
  process.env.KNOWLEDGE_TENANT_QUOTA_BYTES = String(1024 * 1024);
  process.env.RATE_LIMIT_UPLOADS_PER_MINUTE = "12";
  return { saved, root, maxBytes: 256 * 1024, rateLimit: 12 };
});

import { startExecutor } from "../inngest/local/testing/harness";
import { createSession, createTenantWithMembers, uid, type FactoryUser } from "../prisma/factories";
import { metricValue } from "./support/prometheus-text";
import { makeCsv, makeDocx, makeHtml, makeMarkdown, makePdf, makeText, PNG_BYTES } from "./support/sample-files";
import { GET } from "~/app/api/t/[tenantSlug]/documents/[documentId]/original/route";
import { POST } from "~/app/api/t/[tenantSlug]/documents/route";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { DOCUMENT_ORIGINAL_ROUTE, DOCUMENTS_ROUTE } from "~/server/http/documents-route";

const APP = "http://localhost:3000";

let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  exec = await startExecutor({ db });
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec.close();
  await rm(ENV.root, { recursive: true, force: true });
  // Later test files in this worker get the environment they started with.
  for (const [k, v] of Object.entries(ENV.saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** The session cookie Auth.js would have set at sign-in. */
const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};

type UploadOpts = { cookie?: string; slug: string; filename?: string | null; title?: string; origin?: string | null; headers?: Record<string, string> };
const upload = async (body: Uint8Array | ReadableStream<Uint8Array> | null, o: UploadOpts) => {
  const headers: Record<string, string> = { "content-type": "application/octet-stream", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...o.headers };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.origin !== null) headers.origin = o.origin ?? APP;
  if (o.filename !== null && !("x-filename" in headers)) headers["x-filename"] = encodeURIComponent(o.filename ?? "file.bin");
  if (o.title !== undefined) headers["x-title"] = encodeURIComponent(o.title);
  const init: RequestInit & { duplex?: "half" } = { method: "POST", headers, body: body instanceof Uint8Array ? new Uint8Array(body) : body };
  if (body instanceof ReadableStream) init.duplex = "half";
  const req = new Request(`${APP}/api/t/${o.slug}/documents`, init);
  return POST(req, { params: Promise.resolve({ tenantSlug: o.slug }) });
};

const download = async (o: { cookie?: string; slug: string; id: string }) => {
  const headers: Record<string, string> = { "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http" };
  if (o.cookie) headers.cookie = o.cookie;
  const req = new Request(`${APP}/api/t/${o.slug}/documents/${o.id}/original`, { headers });
  return GET(req, { params: Promise.resolve({ tenantSlug: o.slug, documentId: o.id }) });
};

type Dto = { id: string; kind: string; mimeType: string; filename: string; title: string; sizeBytes: number; status: string };
const json = async (res: Response) => (await res.json()) as { document: Dto; duplicate: boolean };
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; reason: string; message: string } }).error;
const documentCount = (tenantId: string) => db.document.count({ where: { tenantId } });
const storedObjects = async (tenantId: string) => readdir(path.join(ENV.root, "tenants", tenantId, "documents")).catch(() => [] as string[]);

const setup = async () => {
  const f = await createTenantWithMembers();
  return { ...f, slug: f.tenant.slug, cookie: await cookieFor(f.member) };
};

describe("POST /api/t/[tenantSlug]/documents: uploads", () => {
  it("stores each kind from real sample files, decided by content, with 201 and the document", async () => {
    const f = await setup();
    const n = uid(4);
    const files: Array<{ bytes: Uint8Array; name: string; kind: string }> = [
      { bytes: await makePdf({ pages: [`Revenue grew in Q1 ${n}.`, "Costs fell in Q2."] }), name: "report.pdf", kind: "pdf" },
      { bytes: makeDocx({ blocks: [{ heading: "Hiring plan", text: `Hire two engineers ${n}.` }] }), name: "plan.docx", kind: "docx" },
      { bytes: makeMarkdown({ title: `Runbook ${n}`, sections: [{ heading: "Deploy", text: "Run the pipeline." }] }), name: "runbook.md", kind: "markdown" },
      { bytes: makeText([`Plain notes ${n}.`, "Second paragraph."]), name: "notes.txt", kind: "text" },
      { bytes: makeCsv({ header: ["region", "revenue"], rows: [["north", "120"], ["south", n]] }), name: "figures.csv", kind: "csv" },
      { bytes: makeHtml({ title: `Policy ${n}`, sections: [{ heading: "Travel", text: "Book economy." }], hostile: true }), name: "policy.html", kind: "html" },
      // The name says PDF, the content is Markdown: the content wins.
      { bytes: makeMarkdown({ title: `Misnamed ${n}`, sections: [{ heading: "A", text: "B" }] }), name: "actually-markdown.pdf", kind: "markdown" },
    ];
    for (const file of files) {
      const res = await upload(file.bytes, { cookie: f.cookie, slug: f.slug, filename: file.name });
      expect(res.status, file.name).toBe(201);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      const body = await json(res);
      expect(body.duplicate).toBe(false);
      expect(body.document).toMatchObject({ kind: file.kind, filename: file.name, sizeBytes: file.bytes.byteLength, status: "queued" });
      expect(body.document).not.toHaveProperty("storageKey");
    }
    expect(await documentCount(f.tenant.id)).toBe(files.length);
    expect(await storedObjects(f.tenant.id)).toHaveLength(files.length);
    const events = await db.inngestEvent.count({ where: { name: "knowledge/document.ingest", payload: { path: ["data", "tenantId"], equals: f.tenant.id } } });
    expect(events).toBe(files.length);

    // 201 for a new document, 200 for a duplicate: both are successes.
    const uploads = async (status: string) => metricValue("http_server_request_duration_count", { http_route: DOCUMENTS_ROUTE, http_response_status_code: status });
    expect((await uploads("201")) + (await uploads("200"))).toBeGreaterThanOrEqual(files.length);
  });

  it("decodes a percent-encoded UTF-8 file name and title, and sanitises them", async () => {
    const f = await setup();
    const res = await upload(makeText([`Año ${uid()}`]), { cookie: f.cookie, slug: f.slug, filename: "../../Informe año 2024 📈\u202e.txt", title: "Presupuesto\n anual" });
    expect(res.status).toBe(201);
    expect((await json(res)).document).toMatchObject({ filename: "Informe año 2024 📈.txt", title: "Presupuesto anual" });
  });

  it("answers 200 duplicate: true for content the workspace already has, storing nothing twice", async () => {
    const f = await setup();
    const bytes = makeText([`Same content ${uid()}`]);
    const first = await json(await upload(bytes, { cookie: f.cookie, slug: f.slug, filename: "a.txt" }));
    const res = await upload(bytes, { cookie: await cookieFor(f.admin), slug: f.slug, filename: "b.txt" });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ duplicate: true, document: { id: first.document.id, filename: "a.txt" } });
    expect(await documentCount(f.tenant.id)).toBe(1);
    expect(await storedObjects(f.tenant.id)).toEqual([first.document.id]);
  });

  it("415 for unsupported content, 400 for an empty file, whatever the name says", async () => {
    const f = await setup();
    const png = await upload(PNG_BYTES, { cookie: f.cookie, slug: f.slug, filename: "scan.pdf" });
    expect(png.status).toBe(415);
    expect(await errorOf(png)).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "unsupportedFileType" });
    const empty = await upload(new Uint8Array(), { cookie: f.cookie, slug: f.slug, filename: "empty.txt" });
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toMatchObject({ code: "BAD_REQUEST", reason: "fileEmpty" });
    expect(await documentCount(f.tenant.id)).toBe(0);
    expect(await storedObjects(f.tenant.id)).toEqual([]);
  });

  it("413 fileTooLarge for a streamed body over the limit, and stops reading at once", async () => {
    const f = await setup();
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    let pulled = 0;
    let cancelled = false;
    // 100 MiB on offer, no Content-Length: the server must count and stop.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 100 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await upload(body, { cookie: f.cookie, slug: f.slug, filename: "huge.txt" });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "fileTooLarge" });
    expect(cancelled).toBe(true);
    // At most the limit plus what the stream had queued ahead (its high-water mark and one chunk).
    expect(pulled).toBeLessThanOrEqual(ENV.maxBytes + 4 * chunk.byteLength);
    expect(await documentCount(f.tenant.id)).toBe(0);
    expect(await storedObjects(f.tenant.id)).toEqual([]);
  });

  it("413 at once for a declared Content-Length over the limit", async () => {
    const f = await setup();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const res = await upload(body, { cookie: f.cookie, slug: f.slug, filename: "big.txt", headers: { "content-length": String(ENV.maxBytes + 1) } });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ reason: "fileTooLarge" });
    expect(pulled).toBeLessThanOrEqual(2);
  });

  it("413 storageQuotaExceeded when the workspace is full", async () => {
    const f = await setup();
    await db.document.create({
      data: { tenantId: f.tenant.id, title: "Filler", filename: "filler.pdf", kind: "pdf", mimeType: "application/pdf", sizeBytes: 1024 * 1024 - 10, sha256: "0".repeat(64), storageKey: `tenants/${f.tenant.id}/documents/filler/original` },
    });
    const res = await upload(makeText([`Does not fit ${uid()}`]), { cookie: f.cookie, slug: f.slug, filename: "x.txt" });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "storageQuotaExceeded" });
    expect(await documentCount(f.tenant.id)).toBe(1);
    expect(await storedObjects(f.tenant.id)).toEqual([]);
  });
});

describe("POST /api/t/[tenantSlug]/documents: refusals write nothing", () => {
  const body = () => makeText([`Refused ${uid()}`]);

  it("403 for a cross-site Origin or Sec-Fetch-Site, before anything else", async () => {
    const f = await setup();
    const evil = await upload(body(), { cookie: f.cookie, slug: f.slug, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await errorOf(evil)).toMatchObject({ code: "FORBIDDEN", reason: "crossOrigin" });
    expect((await upload(body(), { cookie: f.cookie, slug: f.slug, headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect(await documentCount(f.tenant.id)).toBe(0);
  });

  it("401 without a session", async () => {
    const f = await setup();
    const res = await upload(body(), { slug: f.slug });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({ code: "UNAUTHORIZED", reason: "unauthenticated" });
  });

  it("403 roleTooLow for a viewer (viewers read documents, they do not add them); admins and owners upload", async () => {
    const f = await setup();
    const res = await upload(body(), { cookie: await cookieFor(f.viewer), slug: f.slug });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ reason: "roleTooLow" });
    expect(await documentCount(f.tenant.id)).toBe(0);
    expect((await upload(body(), { cookie: await cookieFor(f.admin), slug: f.slug })).status).toBe(201);
    expect((await upload(body(), { cookie: await cookieFor(f.owner), slug: f.slug })).status).toBe(201);
  });

  it("404 for an unknown workspace, another workspace or a malformed slug", async () => {
    const f = await setup();
    const other = await createTenantWithMembers();
    for (const slug of ["no-such-workspace", other.tenant.slug, "../etc"]) {
      const res = await upload(body(), { cookie: f.cookie, slug });
      expect(res.status, slug).toBe(404);
      expect(await errorOf(res)).toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await documentCount(other.tenant.id)).toBe(0);
  });

  it("400 invalidInput without x-filename, with a malformed one, or with a form body", async () => {
    const f = await setup();
    const missing = await upload(body(), { cookie: f.cookie, slug: f.slug, filename: null });
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatchObject({ reason: "invalidInput" });
    expect((await upload(body(), { cookie: f.cookie, slug: f.slug, headers: { "x-filename": "%E0%A4%A" } })).status).toBe(400);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(body())]), "a.txt");
    const req = new Request(`${APP}/api/t/${f.slug}/documents`, { method: "POST", headers: { cookie: f.cookie, origin: APP, "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", "x-filename": "a.txt" }, body: form });
    const res = await POST(req, { params: Promise.resolve({ tenantSlug: f.slug }) });
    expect(res.status).toBe(400);
    expect(await documentCount(f.tenant.id)).toBe(0);
  });

  it(`429 with Retry-After after ${ENV.rateLimit} uploads a minute per user`, async () => {
    const f = await setup();
    for (let i = 0; i < ENV.rateLimit; i++) expect((await upload(new Uint8Array(), { cookie: f.cookie, slug: f.slug })).status).toBe(400);
    const res = await upload(body(), { cookie: f.cookie, slug: f.slug });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorOf(res)).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rateLimited" });
    // Another user is not affected.
    expect((await upload(body(), { cookie: await cookieFor(f.admin), slug: f.slug })).status).toBe(201);
  });
});

describe("GET /api/t/[tenantSlug]/documents/[documentId]/original", () => {
  it("downloads the original as an attachment with safe headers, for viewers too, and audits it", async () => {
    const f = await setup();
    const bytes = makeHtml({ title: `Hostile ${uid()}`, sections: [{ heading: "H", text: "T" }], hostile: true });
    const { document } = await json(await upload(bytes, { cookie: f.cookie, slug: f.slug, filename: "Política de viajes \"v2\".html" }));
    const res = await download({ cookie: await cookieFor(f.viewer), slug: f.slug, id: document.id });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Pol_tica de viajes _v2_.html"; filename*=UTF-8''Pol%C3%ADtica%20de%20viajes%20%22v2%22.html`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(bytes));
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: "document.download", actorId: f.viewer.id, targetId: document.id } })).toBe(1);

    const text = await json(await upload(makeText([`UTF-8 ${uid()} ñ`]), { cookie: f.cookie, slug: f.slug, filename: "n.txt" }));
    expect((await download({ cookie: f.cookie, slug: f.slug, id: text.document.id })).headers.get("content-type")).toBe("text/plain; charset=utf-8");

    expect(await metricValue("http_server_request_duration_count", { http_route: DOCUMENT_ORIGINAL_ROUTE, http_response_status_code: "200" })).toBeGreaterThanOrEqual(2);
  });

  it("401 without a session; 404 for another workspace's document, an unknown or malformed id", async () => {
    const f = await setup();
    const { document } = await json(await upload(makeText([`Private ${uid()}`]), { cookie: f.cookie, slug: f.slug, filename: "p.txt" }));
    expect((await download({ slug: f.slug, id: document.id })).status).toBe(401);
    const other = await createTenantWithMembers();
    const outsider = await cookieFor(other.owner);
    // Not a member of f's workspace, and f's document is not in theirs.
    expect((await download({ cookie: outsider, slug: f.slug, id: document.id })).status).toBe(404);
    const cross = await download({ cookie: outsider, slug: other.tenant.slug, id: document.id });
    expect(cross.status).toBe(404);
    expect(await errorOf(cross)).toMatchObject({ code: "NOT_FOUND" });
    expect((await download({ cookie: f.cookie, slug: f.slug, id: "missing-id" })).status).toBe(404);
    expect((await download({ cookie: f.cookie, slug: f.slug, id: "..%2F..%2Fetc" })).status).toBe(404);
    expect(await db.auditEvent.count({ where: { action: "document.download", targetId: document.id } })).toBe(0);
  });
});
