/**
 * The ingestion function through the real SDK: served over HTTP by inngest/node
 * and driven by the local executor (inngest/local) on the test database, with
 * originals in a temporary filesystem storage. Covers status transitions,
 * chunks with pages, non-retried bad files, retried failures ending in
 * onFailure, re-indexing, stale events and deletion during ingestion.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTenant } from "../../prisma/factories";
import { seedDocument, type SeededDocument } from "../../tests/fixtures/knowledge/seed";
import { makePdf, truncate } from "../../tests/support/sample-files";
import { runOf, startApp, startExecutor } from "../local/testing/harness";
import { ingestDocument } from "./ingest-document";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { objectStorage } from "~/server/infra/storage";
import { writeChunks } from "~/server/services/knowledge/ingest";

// Before any app module reads env: originals go to a throwaway folder.
const storageRoot = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-ingest-${process.pid}-${Date.now()}`;
  process.env.STORAGE_FS_ROOT = dir;
  return dir;
});

const FN = "ocsuite-knowledge-ingest-document";
let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
let tenantId: string;

beforeAll(async () => {
  app = await startApp(inngest, [ingestDocument]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
  tenantId = (await createTenant()).id;
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
  rmSync(storageRoot, { recursive: true, force: true });
});

const pageText = (n: number, words = 60) => `Page ${n} marker${n}. ${"Quarterly revenue grew while operating costs stayed flat across regions. ".repeat(Math.ceil(words / 10))}`;

const seedPdf = async (pages: number, title = "Annual report") =>
  seedDocument(db, objectStorage(), tenantId, { title, filename: "report.pdf", bytes: await makePdf({ pages: Array.from({ length: pages }, (_, i) => pageText(i + 1)) }) });

const ingest = async (doc: SeededDocument, indexVersion = doc.indexVersion) => {
  const { ids } = await inngest.send({ name: "knowledge/document.ingest", data: { tenantId: doc.tenantId, documentId: doc.id, indexVersion } });
  return runOf(db, ids[0]!, FN);
};

/** Polls the document's status every few ms until the run ends, returning the distinct statuses seen in order. */
const watchStatuses = async (documentId: string, runId: string) => {
  const seen: string[] = [];
  for (;;) {
    const [doc, run] = await Promise.all([db.document.findUnique({ where: { id: documentId }, select: { status: true } }), db.inngestRun.findUnique({ where: { id: runId } })]);
    if (doc && seen.at(-1) !== doc.status) seen.push(doc.status);
    if (run && ["COMPLETED", "FAILED", "CANCELLED"].includes(run.status)) return { seen, run };
    await new Promise((r) => setTimeout(r, 3));
  }
};

const until = async <T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("knowledge/document.ingest", () => {
  it("goes queued → processing → ready and stores chunks with their pages", async () => {
    const doc = await seedPdf(40);
    expect((await db.document.findUniqueOrThrow({ where: { id: doc.id } })).status).toBe("queued");
    const run = await ingest(doc);
    const { seen, run: done } = await watchStatuses(doc.id, run.id);
    expect(seen).toEqual(["queued", "processing", "ready"]);
    expect(done).toMatchObject({ status: "COMPLETED", output: { status: "ready", embedded: 0 } });

    const stored = await db.document.findUniqueOrThrow({ where: { id: doc.id } });
    const chunks = await db.documentChunk.findMany({ where: { documentId: doc.id }, orderBy: { ordinal: "asc" } });
    expect(stored).toMatchObject({ status: "ready", errorReason: null, pageCount: 40, chunkCount: chunks.length });
    expect(stored.charCount).toBeGreaterThan(40 * 300);
    expect(stored.indexedAt).toBeInstanceOf(Date);
    expect(chunks.length).toBeGreaterThanOrEqual(40);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    expect(chunks.every((c) => c.tenantId === tenantId)).toBe(true);
    // Every page is cited by the chunks that carry its text, in order.
    expect([...new Set(chunks.map((c) => c.page))]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const page of [1, 17, 40]) expect(chunks.find((c) => c.text.includes(`marker${page}.`))?.page).toBe(page);
    // Step outputs stay small: counts, never the text.
    expect(JSON.stringify(done.output).length).toBeLessThan(200);
  });

  it("fails a malformed file at once with malformedFile, without retries, and dead-letters it", async () => {
    const good = await makePdf({ pages: [pageText(1), pageText(2)] });
    const doc = await seedDocument(db, objectStorage(), tenantId, { title: "Cut off", filename: "cut.pdf", bytes: truncate(good, Math.floor(good.length / 2)) });
    const run = await ingest(doc);
    expect(await exec.executor.waitForRun(run.id)).toMatchObject({ status: "FAILED", attempts: 1 });
    const failed = await until(async () => {
      const d = await db.document.findUniqueOrThrow({ where: { id: doc.id } });
      return d.status === "failed" ? d : null;
    });
    expect(failed).toMatchObject({ errorReason: "malformedFile", chunkCount: 0 });
    expect(await db.inngestDeadLetter.findUnique({ where: { runId: run.id } })).toMatchObject({ functionId: FN, tenantId, errorName: "NonRetriableError", errorMessage: "malformedFile", attempts: 1 });
    expect(await db.documentChunk.count({ where: { documentId: doc.id } })).toBe(0);
  });

  it("retries an unexpected failure, then marks the document failed with ingestionFailed", async () => {
    const doc = await seedPdf(1);
    await objectStorage().delete(doc.storageKey); // the original vanished, but the document is still current
    const run = await ingest(doc);
    expect(await exec.executor.waitForRun(run.id)).toMatchObject({ status: "FAILED", attempts: 4 }); // retries: 3
    expect(await until(async () => (await db.document.findUniqueOrThrow({ where: { id: doc.id } })).errorReason)).toBe("ingestionFailed");
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id } })).toMatchObject({ status: "failed" });
  });

  it("re-indexing replaces the chunks instead of adding to them", async () => {
    const doc = await seedPdf(3);
    await exec.executor.waitForRun((await ingest(doc)).id);
    const first = await db.documentChunk.findMany({ where: { documentId: doc.id }, select: { id: true, ordinal: true } });
    const firstIndexedAt = (await db.document.findUniqueOrThrow({ where: { id: doc.id } })).indexedAt!;

    // What reindexDocument does: bump the version, queue, send.
    await db.document.update({ where: { id: doc.id }, data: { indexVersion: 2, status: "queued" } });
    expect(await exec.executor.waitForRun((await ingest(doc, 2)).id)).toMatchObject({ status: "COMPLETED", output: { status: "ready" } });
    const second = await db.documentChunk.findMany({ where: { documentId: doc.id }, select: { id: true, ordinal: true } });
    expect(second).toHaveLength(first.length);
    expect(second.filter((c) => first.some((f) => f.id === c.id))).toEqual([]);
    const after = await db.document.findUniqueOrThrow({ where: { id: doc.id } });
    expect(after).toMatchObject({ status: "ready", chunkCount: first.length, indexVersion: 2 });
    expect(after.indexedAt!.getTime()).toBeGreaterThan(firstIndexedAt.getTime());
  });

  it("does nothing for a stale indexVersion", async () => {
    const doc = await seedPdf(2);
    await db.document.update({ where: { id: doc.id }, data: { indexVersion: 2 } });
    expect(await exec.executor.waitForRun((await ingest(doc, 1)).id)).toMatchObject({ status: "COMPLETED", output: { status: "stale" } });
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id } })).toMatchObject({ status: "queued", chunkCount: 0, indexedAt: null });
    expect(await db.documentChunk.count({ where: { documentId: doc.id } })).toBe(0);
  });

  it("leaves no chunks when the document is deleted during ingestion", async () => {
    const doc = await seedPdf(60);
    const run = await ingest(doc);
    await until(async () => (await db.document.findUnique({ where: { id: doc.id } }))?.status === "processing", 10_000);
    // What deleteDocument does: the row (chunks cascade) and the original.
    await db.document.delete({ where: { id: doc.id } });
    await objectStorage().delete(doc.storageKey);
    expect(await exec.executor.waitForRun(run.id)).toMatchObject({ status: "COMPLETED", output: { status: "stale" } });
    expect(await db.documentChunk.count({ where: { documentId: doc.id } })).toBe(0);
    expect(await db.inngestDeadLetter.findUnique({ where: { runId: run.id } })).toBeNull();
  });

  it("writes no chunk when the delete commits just before the index transaction", async () => {
    const doc = await seedPdf(1);
    await db.document.delete({ where: { id: doc.id } });
    const res = await writeChunks(
      { tenantId, documentId: doc.id, indexVersion: 1 },
      { pageCount: 1, charCount: 5 },
      [{ ordinal: 0, text: "hello", page: 1, heading: null, charStart: 0, charEnd: 5 }],
    );
    expect(res).toEqual({ status: "stale" });
    expect(await db.documentChunk.count({ where: { documentId: doc.id } })).toBe(0);
  });

  it("is limited to 2 concurrent runs per tenant", () => {
    const config = exec.executor.functions().find((f) => f.id === FN) as { concurrency?: unknown; retries?: unknown } | undefined;
    expect(JSON.stringify(config)).toContain('"key":"event.data.tenantId","limit":2');
  });
});
