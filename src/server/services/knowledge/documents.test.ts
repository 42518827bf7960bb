/**
 * The documents service on real Postgres, the real fs storage driver (a
 * temporary folder) and a real local Inngest executor receiving the events.
 */
import { createHash } from "node:crypto";
import { readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { isSealedBlob } from "@ocsuite/crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Small limits so quota and size tests stay fast; set before src/env.js is imported.
const ENV = vi.hoisted(() => {
  const root = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-documents-test-${process.pid}-${Date.now()}`;
  const saved = Object.fromEntries(
    ["STORAGE_DRIVER", "STORAGE_FS_ROOT", "KNOWLEDGE_MAX_FILE_BYTES", "KNOWLEDGE_TENANT_QUOTA_BYTES", "RATE_LIMIT_UPLOADS_PER_MINUTE"].map((k) => [k, process.env[k]]),
  );
  process.env.STORAGE_DRIVER = "fs";
  process.env.STORAGE_FS_ROOT = root;
  process.env.KNOWLEDGE_MAX_FILE_BYTES = String(64 * 1024);
  process.env.KNOWLEDGE_TENANT_QUOTA_BYTES = String(100_000);
  return { saved, root };
});

import { startExecutor } from "../../../../inngest/local/testing/harness";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { createFsStorage, documentOriginalKey, ObjectNotFoundError, type ObjectStorage } from "~/server/infra/storage";
import { deleteDocument } from "./document-delete";
import { sanitizeFilename } from "./document-names";
import { getDocument, getKnowledgeUsage, listDocuments, readOriginal } from "./document-reads";
import { reindexDocument } from "./document-reindex";
import { uploadDocument } from "./document-upload";
import { openOriginal } from "./original-cipher";

const enc = (s: string) => new TextEncoder().encode(s);
const storage = createFsStorage(ENV.root);

/** Sample content of each text kind (unique per call, so uploads are never accidental duplicates). */
const samples = () => {
  const n = uid(6);
  return {
    markdown: enc(`# Pricing notes ${n}\n\nWe charge **per seat**.\n\n- Starter\n- Growth\n`),
    text: enc(`Plain meeting notes ${n}.\nNothing structured here, just sentences about the roadmap.\n`),
    csv: enc(`region,revenue,quarter\nnorth,120,Q1\nsouth,90,Q1\nwest,75,Q2 ${n}\n`),
    html: enc(`<!doctype html><html><head><title>Policy ${n}</title><script>alert(1)</script></head><body><h1>Travel policy</h1><p>Book economy.</p></body></html>`),
    pdf: enc(`%PDF-1.4\n% minimal header for detection ${n}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`),
  };
};

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

const ctxOf = (f: TenantFixture, who: "owner" | "admin" | "member" | "viewer") => tenantCtxOf(f.tenant, f[who], f[who].role);
const objectExists = async (key: string) => storage.get(key).then(
  () => true,
  (e: unknown) => {
    if (e instanceof ObjectNotFoundError) return false;
    throw e;
  },
);
const tenantObjects = async (tenantId: string) => readdir(path.join(ENV.root, "tenants", tenantId, "documents")).catch(() => [] as string[]);
const ingestEvents = (documentId: string) =>
  db.inngestEvent.findMany({ where: { name: "knowledge/document.ingest", payload: { path: ["data", "documentId"], equals: documentId } }, orderBy: { receivedAt: "asc" } });

describe("uploadDocument", () => {
  it("stores each kind, decided by content (the name's extension is irrelevant), and queues its ingestion", async () => {
    const f = await createTenantWithMembers();
    const s = samples();
    const cases = [
      { bytes: s.markdown, name: "notes.txt", kind: "markdown", mimeType: "text/markdown" },
      { bytes: s.text, name: "notes.md", kind: "text", mimeType: "text/plain" },
      { bytes: s.csv, name: "figures.pdf", kind: "csv", mimeType: "text/csv" },
      { bytes: s.html, name: "policy", kind: "html", mimeType: "text/html" },
      { bytes: s.pdf, name: "scan.docx", kind: "pdf", mimeType: "application/pdf" },
    ] as const;
    for (const c of cases) {
      const { document, duplicate } = await uploadDocument(ctxOf(f, "member"), { filename: c.name, bytes: c.bytes });
      expect(duplicate).toBe(false);
      expect(document).toMatchObject({ kind: c.kind, mimeType: c.mimeType, filename: c.name, sizeBytes: c.bytes.byteLength, status: "queued", indexVersion: 1, chunkCount: 0 });
      expect(document.uploadedBy).toEqual({ id: f.member.id, name: f.member.name });
      expect(document.canDelete).toBe(true);
      const row = await db.document.findUniqueOrThrow({ where: { id: document.id } });
      expect(row.storageKey).toBe(documentOriginalKey(f.tenant.id, document.id));
      // The stored object is ciphertext (original-cipher.ts): a sealed blob, none of the content in it.
      const stored = Buffer.from(await storage.get(row.storageKey));
      expect(isSealedBlob(stored)).toBe(true);
      expect(stored.includes(Buffer.from(c.bytes).subarray(0, 16))).toBe(false);
      expect(row.contentKeyCiphertext).toMatch(/^ocs1\./);
      expect(Buffer.from(await openOriginal(row, stored))).toEqual(Buffer.from(c.bytes));
      expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
      const events = await ingestEvents(document.id);
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toMatchObject({ data: { tenantId: f.tenant.id, documentId: document.id, indexVersion: 1 } });
    }
    // Audited with name, kind and size, never content.
    const audits = await db.auditEvent.findMany({ where: { chain: f.tenant.id, action: "document.upload" } });
    expect(audits).toHaveLength(cases.length);
    expect(audits[0]!.metadata).toEqual({ filename: expect.any(String), kind: expect.any(String), sizeBytes: expect.any(Number) });
    expect(JSON.stringify(audits)).not.toContain("per seat");
  });

  it("uses the title when given, else the file name without its extension; sanitises both", async () => {
    const f = await createTenantWithMembers();
    const a = await uploadDocument(ctxOf(f, "member"), { filename: "C:\\Users\\me\\Q3 plan.md", bytes: samples().markdown });
    expect(a.document).toMatchObject({ filename: "Q3 plan.md", title: "Q3 plan" });
    const b = await uploadDocument(ctxOf(f, "member"), { filename: "x.md", bytes: samples().markdown, title: "  Board\u202e deck\n 2024 " });
    expect(b.document.title).toBe("Board deck 2024");
  });

  it("refuses empty, whitespace-only, unsupported and oversized files, storing nothing", async () => {
    const f = await createTenantWithMembers();
    const ctx = ctxOf(f, "member");
    await expect(uploadDocument(ctx, { filename: "a.txt", bytes: new Uint8Array() })).rejects.toMatchObject({ reason: "fileEmpty", code: "BAD_REQUEST" });
    await expect(uploadDocument(ctx, { filename: "a.txt", bytes: enc(" \n\t \n") })).rejects.toMatchObject({ reason: "fileEmpty" });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
    await expect(uploadDocument(ctx, { filename: "photo.pdf", bytes: png })).rejects.toMatchObject({ reason: "unsupportedFileType" });
    const zip = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]); // an empty zip is not a DOCX
    await expect(uploadDocument(ctx, { filename: "x.docx", bytes: zip })).rejects.toMatchObject({ reason: "unsupportedFileType" });
    await expect(uploadDocument(ctx, { filename: "big.txt", bytes: new Uint8Array(64 * 1024 + 1).fill(0x61) })).rejects.toMatchObject({ reason: "fileTooLarge", code: "PAYLOAD_TOO_LARGE" });
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(0);
    expect(await tenantObjects(f.tenant.id)).toEqual([]);
  });

  it("detects the same content uploaded again: the existing document, duplicate: true, nothing stored twice", async () => {
    const f = await createTenantWithMembers();
    const bytes = samples().text;
    const first = await uploadDocument(ctxOf(f, "member"), { filename: "one.txt", bytes });
    const again = await uploadDocument(ctxOf(f, "admin"), { filename: "two.txt", bytes });
    expect(again.duplicate).toBe(true);
    expect(again.document.id).toBe(first.document.id);
    expect(again.document.filename).toBe("one.txt");
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(1);
    expect(await tenantObjects(f.tenant.id)).toEqual([first.document.id]);
    expect(await ingestEvents(first.document.id)).toHaveLength(1);
    // Parallel identical uploads also end with one document and one object.
    const same = samples().markdown;
    const results = await Promise.all([1, 2, 3].map((i) => uploadDocument(ctxOf(f, "member"), { filename: `p${i}.md`, bytes: same })));
    expect(new Set(results.map((r) => r.document.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await tenantObjects(f.tenant.id)).sort()).toEqual([first.document.id, results[0]!.document.id].sort());
    // Another workspace may hold the same content: duplicates are per tenant.
    const g = await createTenantWithMembers();
    expect((await uploadDocument(ctxOf(g, "member"), { filename: "one.txt", bytes })).duplicate).toBe(false);
  });

  it("enforces the workspace quota, also for parallel uploads near it (only one fits)", async () => {
    const f = await createTenantWithMembers();
    const ctx = ctxOf(f, "member");
    const filler = (n: number, word: string) => enc(`${word} `.repeat(Math.ceil(n / (word.length + 1))).slice(0, n));
    await uploadDocument(ctx, { filename: "base.txt", bytes: filler(50_000, "alpha") });
    const used = (await getKnowledgeUsage(ctx)).usedBytes;
    expect(used).toBeGreaterThan(49_000);
    await expect(uploadDocument(ctx, { filename: "huge.txt", bytes: filler(60_000, "beta") })).rejects.toMatchObject({ reason: "storageQuotaExceeded", code: "PAYLOAD_TOO_LARGE" });

    const [a, b] = await Promise.allSettled([uploadDocument(ctx, { filename: "a.txt", bytes: filler(30_000, "gamma") }), uploadDocument(ctx, { filename: "b.txt", bytes: filler(30_000, "delta") })]);
    const outcomes = [a, b].map((r) => r.status);
    expect(outcomes.sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = [a, b].find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ reason: "storageQuotaExceeded" });
    const usage = await getKnowledgeUsage(ctx);
    expect(usage.usedBytes).toBeLessThanOrEqual(100_000);
    expect(usage).toMatchObject({ quotaBytes: 100_000, documentCount: 2 });
    // The refused upload's object was removed again: one object per row.
    const rows = await db.document.findMany({ where: { tenantId: f.tenant.id }, select: { id: true } });
    expect((await tenantObjects(f.tenant.id)).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it("viewers cannot upload", async () => {
    const f = await createTenantWithMembers();
    await expect(uploadDocument(ctxOf(f, "viewer"), { filename: "v.txt", bytes: samples().text })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("a storage write that fails leaves no row and no object (storageUnavailable)", async () => {
    const f = await createTenantWithMembers();
    // A real fs driver whose root is a regular file: every write fails.
    const blocked = path.join(ENV.root, `blocked-${uid()}`);
    await writeFile(blocked, "not a folder");
    await expect(uploadDocument(ctxOf(f, "member"), { filename: "a.txt", bytes: samples().text }, { storage: createFsStorage(blocked) })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      reason: "storageUnavailable",
    });
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("a database insert that fails after the write removes the stored object again", async () => {
    const f = await createTenantWithMembers();
    const written: string[] = [];
    // The real driver; right after the object is written, the workspace disappears,
    // so the row insert fails on its foreign key.
    const racing: ObjectStorage = {
      put: async (key, bytes, opts) => {
        await storage.put(key, bytes, opts);
        written.push(key);
        await db.tenant.delete({ where: { id: f.tenant.id } });
      },
      get: (key) => storage.get(key),
      delete: (key) => storage.delete(key),
    };
    await expect(uploadDocument(ctxOf(f, "member"), { filename: "a.txt", bytes: samples().text }, { storage: racing })).rejects.toBeTruthy();
    expect(written).toHaveLength(1);
    expect(await objectExists(written[0]!)).toBe(false);
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("content inserted by someone else between write and insert: theirs wins, ours is removed", async () => {
    const f = await createTenantWithMembers();
    const bytes = samples().csv;
    let otherId = "";
    const written: string[] = [];
    const racing: ObjectStorage = {
      put: async (key, b, opts) => {
        await storage.put(key, b, opts);
        written.push(key);
        // Another writer commits the same content (the plaintext's hash: `b` is sealed) first, without our lock.
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        otherId = `other-${uid()}`;
        await storage.put(documentOriginalKey(f.tenant.id, otherId), b);
        await db.document.create({
          data: { id: otherId, tenantId: f.tenant.id, uploadedById: f.admin.id, title: "Theirs", filename: "theirs.csv", kind: "csv", mimeType: "text/csv", sizeBytes: bytes.byteLength, sha256, storageKey: documentOriginalKey(f.tenant.id, otherId) },
        });
      },
      get: (key) => storage.get(key),
      delete: (key) => storage.delete(key),
    };
    const res = await uploadDocument(ctxOf(f, "member"), { filename: "mine.csv", bytes }, { storage: racing });
    expect(res).toMatchObject({ duplicate: true, document: { id: otherId, filename: "theirs.csv" } });
    expect(await objectExists(written[0]!)).toBe(false);
    expect(await tenantObjects(f.tenant.id)).toEqual([otherId]);
  });

  it("when the background engine is unreachable the upload still succeeds and stays queued; reindex then reports jobsUnavailable", async () => {
    const f = await createTenantWithMembers();
    inngest.setEnvVars({ INNGEST_DEV: "http://127.0.0.1:9" }); // nothing listens on the discard port
    let id: string;
    try {
      const { document } = await uploadDocument(ctxOf(f, "member"), { filename: "a.txt", bytes: samples().text });
      id = document.id;
      expect(document.status).toBe("queued");
      await expect(reindexDocument(ctxOf(f, "member"), { id })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "jobsUnavailable" });
    } finally {
      inngest.setEnvVars({ INNGEST_DEV: exec.url });
    }
    expect(await db.document.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued" });
    expect(await ingestEvents(id)).toHaveLength(0);
    // Re-index is the remedy once the engine is back.
    await reindexDocument(ctxOf(f, "member"), { id });
    expect(await ingestEvents(id)).toHaveLength(1);
  }, 60_000);
});

describe("list, get, usage", () => {
  it("lists newest first with uploader names, status filter, title search, counts and a cursor", async () => {
    const f = await createTenantWithMembers();
    const ids: string[] = [];
    for (const [i, who] of (["member", "admin", "owner"] as const).entries()) {
      const { document } = await uploadDocument(ctxOf(f, who), { filename: `doc-${i}.md`, bytes: samples().markdown, title: i === 1 ? "Quarterly Budget" : `Doc ${i}` });
      ids.push(document.id);
    }
    await db.document.update({ where: { id: ids[0] }, data: { status: "ready", chunkCount: 4 } });
    await db.document.update({ where: { id: ids[2] }, data: { status: "failed", errorReason: "noTextFound" } });

    const all = await listDocuments(ctxOf(f, "viewer"));
    expect(all.items.map((d) => d.id)).toEqual([...ids].reverse());
    expect(all.counts).toEqual({ queued: 1, processing: 0, ready: 1, failed: 1, total: 3 });
    expect(all.items.map((d) => d.uploadedBy?.id)).toEqual([f.owner.id, f.admin.id, f.member.id]);
    expect(all.items.every((d) => !d.canDelete)).toBe(true); // viewers delete nothing
    expect(all.items.find((d) => d.id === ids[2])).toMatchObject({ status: "failed", errorReason: "noTextFound" });
    expect(all.nextCursor).toBeNull();

    expect((await listDocuments(ctxOf(f, "member"), { status: "ready" })).items.map((d) => d.id)).toEqual([ids[0]]);
    expect((await listDocuments(ctxOf(f, "member"), { query: "quarterly" })).items.map((d) => d.id)).toEqual([ids[1]]);
    expect((await listDocuments(ctxOf(f, "member"), { query: "doc-2.md" })).items.map((d) => d.id)).toEqual([ids[2]]);
    const memberView = await listDocuments(ctxOf(f, "member"));
    expect(memberView.items.map((d) => d.canDelete)).toEqual([false, false, true]);

    const p1 = await listDocuments(ctxOf(f, "member"), { limit: 2 });
    expect(p1.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    const p2 = await listDocuments(ctxOf(f, "member"), { limit: 2, cursor: p1.nextCursor! });
    expect(p2.items.map((d) => d.id)).toEqual([ids[0]]);
    expect(p2.nextCursor).toBeNull();

    // Another tenant sees none of them.
    const g = await createTenantWithMembers();
    expect((await listDocuments(ctxOf(g, "owner"))).items).toEqual([]);
  });

  it("get and download are tenant-scoped: another workspace's id is NOT_FOUND", async () => {
    const f = await createTenantWithMembers();
    const g = await createTenantWithMembers();
    const { document } = await uploadDocument(ctxOf(f, "member"), { filename: "a.md", bytes: samples().markdown });
    expect(await getDocument(ctxOf(f, "viewer"), { id: document.id })).toMatchObject({ id: document.id });
    await expect(getDocument(ctxOf(g, "owner"), { id: document.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(readOriginal(ctxOf(g, "owner"), { id: document.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteDocument(ctxOf(g, "owner"), { id: document.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(reindexDocument(ctxOf(g, "owner"), { id: document.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.document.count({ where: { id: document.id } })).toBe(1);
  });

  it("readOriginal decrypts the stored original and audits the read", async () => {
    const f = await createTenantWithMembers();
    const bytes = samples().html;
    const { document } = await uploadDocument(ctxOf(f, "member"), { filename: "policy.html", bytes });
    const original = await readOriginal(ctxOf(f, "viewer"), { id: document.id });
    expect(original).toMatchObject({ filename: "policy.html", mimeType: "text/html", sizeBytes: bytes.byteLength });
    expect(Buffer.from(original.bytes)).toEqual(Buffer.from(bytes));
    const audit = await db.auditEvent.findFirstOrThrow({ where: { chain: f.tenant.id, action: "document.download" } });
    expect(audit).toMatchObject({ actorId: f.viewer.id, targetId: document.id, metadata: { filename: "policy.html", kind: "html", sizeBytes: bytes.byteLength } });
    // A row whose object vanished is NOT_FOUND, not a crash.
    await storage.delete(documentOriginalKey(f.tenant.id, document.id));
    await expect(readOriginal(ctxOf(f, "viewer"), { id: document.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("delete and reindex", () => {
  const addChunks = (tenantId: string, documentId: string) =>
    db.documentChunk.createMany({ data: [0, 1, 2].map((ordinal) => ({ tenantId, documentId, ordinal, text: `chunk ${ordinal}`, charStart: ordinal * 10, charEnd: ordinal * 10 + 7 })) });

  it("deletes the row, its chunks and the stored original, and audits it", async () => {
    const f = await createTenantWithMembers();
    const { document } = await uploadDocument(ctxOf(f, "member"), { filename: "a.md", bytes: samples().markdown });
    await addChunks(f.tenant.id, document.id);
    const key = documentOriginalKey(f.tenant.id, document.id);
    expect(await objectExists(key)).toBe(true);
    expect(await deleteDocument(ctxOf(f, "member"), { id: document.id })).toEqual({ id: document.id, originalDeleted: true });
    expect(await db.document.count({ where: { id: document.id } })).toBe(0);
    expect(await db.documentChunk.count({ where: { documentId: document.id } })).toBe(0);
    expect(await objectExists(key)).toBe(false);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { chain: f.tenant.id, action: "document.delete" } });
    expect(audit.metadata).toMatchObject({ filename: "a.md", kind: "markdown", originalDeleted: true });
    await expect(deleteDocument(ctxOf(f, "member"), { id: document.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("only the uploader or an admin may delete", async () => {
    const f = await createTenantWithMembers();
    const { document } = await uploadDocument(ctxOf(f, "admin"), { filename: "a.md", bytes: samples().markdown });
    await expect(deleteDocument(ctxOf(f, "member"), { id: document.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(deleteDocument(ctxOf(f, "viewer"), { id: document.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.document.count({ where: { id: document.id } })).toBe(1);
    const mine = await uploadDocument(ctxOf(f, "member"), { filename: "b.md", bytes: samples().markdown });
    await expect(deleteDocument(ctxOf(f, "owner"), { id: mine.document.id })).resolves.toMatchObject({ originalDeleted: true });
    await expect(deleteDocument(ctxOf(f, "admin"), { id: document.id })).resolves.toMatchObject({ originalDeleted: true });
  });

  it("a storage delete that fails still deletes the document, and records the orphaned key in the audit event", async () => {
    const f = await createTenantWithMembers();
    const { document } = await uploadDocument(ctxOf(f, "member"), { filename: "a.md", bytes: samples().markdown });
    const key = documentOriginalKey(f.tenant.id, document.id);
    // A real fs driver whose root is a regular file: deletes fail with ENOTDIR.
    const blocked = path.join(ENV.root, `blocked-${uid()}`);
    await writeFile(blocked, "not a folder");
    const res = await deleteDocument(ctxOf(f, "member"), { id: document.id }, { storage: createFsStorage(blocked) });
    expect(res).toEqual({ id: document.id, originalDeleted: false });
    expect(await db.document.count({ where: { id: document.id } })).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { chain: f.tenant.id, action: "document.delete" } });
    expect(audit.metadata).toMatchObject({ originalDeleted: false, storageKey: key });
    await storage.delete(key);
  });

  it("reindex bumps the version, queues the document again and sends a new event", async () => {
    const f = await createTenantWithMembers();
    const { document } = await uploadDocument(ctxOf(f, "member"), { filename: "a.md", bytes: samples().markdown });
    await db.document.update({ where: { id: document.id }, data: { status: "failed", errorReason: "malformedFile" } });
    await expect(reindexDocument(ctxOf(f, "viewer"), { id: document.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const again = await reindexDocument(ctxOf(f, "member"), { id: document.id });
    expect(again).toMatchObject({ status: "queued", errorReason: null, indexVersion: 2 });
    const events = await ingestEvents(document.id);
    expect(events.map((e) => (e.payload as { data: { indexVersion: number } }).data.indexVersion)).toEqual([1, 2]);
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: "document.reindex", targetId: document.id } })).toBe(1);
  });
});

describe("sanitizeFilename", () => {
  it("keeps the last path component without control or bidi characters, at most 200 characters", () => {
    expect(sanitizeFilename("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFilename("C:\\temp\\report.pdf")).toBe("report.pdf");
    expect(sanitizeFilename("evil\u202etxt.exe")).toBe("eviltxt.exe");
    expect(sanitizeFilename("a\u0000b\nc\r.md")).toBe("abc.md");
    expect(sanitizeFilename("Informe año 2024 📈.md")).toBe("Informe año 2024 📈.md");
    expect(sanitizeFilename("..")).toBe("untitled");
    expect(sanitizeFilename("   ")).toBe("untitled");
    const long = sanitizeFilename(`${"é".repeat(300)}.docx`);
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith(".docx")).toBe(true);
    expect(Array.from(sanitizeFilename("😀".repeat(250)))).toHaveLength(200);
  });
});
