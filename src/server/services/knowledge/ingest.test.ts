import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../../../../prisma/factories";
import { seedDocument, utf8 } from "../../../../tests/fixtures/knowledge/seed";
import { PNG_BYTES } from "../../../../tests/support/sample-files";
import { db } from "~/server/db/client";
import { createFsStorage } from "~/server/infra/storage";
import { KnowledgeError } from "./errors";
import { beginIngestion, embeddingPlan, ingestDocumentNow, markIngestionFailed } from "./ingest";
import { sealOriginal } from "./original-cipher";
import { toVectorLiteral } from "./vector-store";

const root = mkdtempSync(path.join(os.tmpdir(), "ocsuite-ingest-core-"));
const storage = createFsStorage(root);
let tenantId: string;
beforeAll(async () => {
  tenantId = (await createTenant()).id;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ingestion core", () => {
  it("plans embedding batches by ordinal, capping the number of steps", () => {
    expect(embeddingPlan(130, 64)).toEqual([
      { fromOrdinal: 0, toOrdinal: 64 },
      { fromOrdinal: 64, toOrdinal: 128 },
      { fromOrdinal: 128, toOrdinal: 130 },
    ]);
    expect(embeddingPlan(0, 64)).toEqual([]);
    const big = embeddingPlan(100_000, 64, 500);
    expect(big).toHaveLength(500);
    expect(big.at(-1)).toEqual({ fromOrdinal: 99_800, toOrdinal: 100_000 });
  });

  it("refuses content it cannot detect and marks the document failed with the reason", async () => {
    const doc = await seedDocument(db, storage, tenantId, { title: "Picture", filename: "notes.txt", bytes: PNG_BYTES });
    const t = { tenantId, documentId: doc.id, indexVersion: 1 };
    await expect(ingestDocumentNow(t, { storage })).rejects.toMatchObject({ name: "KnowledgeError", reason: "unsupportedFileType" });
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id } })).toMatchObject({ status: "failed", errorReason: "unsupportedFileType", chunkCount: 0 });
  });

  it("re-ingesting a failed document clears its reason; a failure never overwrites a ready document", async () => {
    const doc = await seedDocument(db, storage, tenantId, { title: "Notes", filename: "notes.md", bytes: utf8("# Notes\n\nThe quarterly plan is ready.") });
    const t = { tenantId, documentId: doc.id, indexVersion: 1 };
    expect(await markIngestionFailed(t, "ingestionFailed")).toBe(true);
    expect(await beginIngestion(t, { storage })).toEqual({ storageKey: doc.storageKey, storageRegion: null, contentKeyCiphertext: null });
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id } })).toMatchObject({ status: "processing", errorReason: null });
    expect(await ingestDocumentNow(t, { storage })).toMatchObject({ status: "ready", chunkCount: 1, embedded: 0 });
    expect(await markIngestionFailed(t, "ingestionFailed")).toBe(false);
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id } })).toMatchObject({ status: "ready", errorReason: null });
    // Another tenant's id with this document's id changes nothing.
    expect(await markIngestionFailed({ ...t, tenantId: "someone-else" }, "malformedFile")).toBe(false);
    expect(await beginIngestion({ ...t, tenantId: "someone-else" }, { storage })).toBeNull();
  });

  it("ingests an encrypted original; one that no longer decrypts fails the document with originalUnreadable", async () => {
    /** A document whose stored original is sealed as an upload stores it (original-cipher.ts). */
    const sealedDocument = async (text: string, tamper: boolean) => {
      const doc = await seedDocument(db, storage, tenantId, { title: "Plan", filename: "plan.md", bytes: utf8(text) });
      const { sealed, columns } = await sealOriginal(tenantId, doc.id, utf8(text));
      if (tamper) sealed[sealed.length - 1]! ^= 1;
      await storage.put(doc.storageKey, sealed);
      await db.document.update({ where: { id: doc.id }, data: columns });
      return { tenantId, documentId: doc.id, indexVersion: 1 };
    };
    const good = await sealedDocument("# Plan\n\nThe sealed plan is ready for the board.", false);
    expect(await ingestDocumentNow(good, { storage })).toMatchObject({ status: "ready", chunkCount: 1 });
    expect((await db.documentChunk.findFirstOrThrow({ where: { documentId: good.documentId } })).text).toContain("sealed plan is ready");
    const bad = await sealedDocument("# Plan\n\nThis copy was modified in storage.", true);
    await expect(ingestDocumentNow(bad, { storage })).rejects.toMatchObject({ name: "KnowledgeError", reason: "originalUnreadable" });
    expect(await db.document.findUniqueOrThrow({ where: { id: bad.documentId } })).toMatchObject({ status: "failed", errorReason: "originalUnreadable", chunkCount: 0 });
  });

  it("KnowledgeError carries the stable reason the UI translates", () => {
    expect(new KnowledgeError("malformedFile")).toMatchObject({ reason: "malformedFile", code: "BAD_REQUEST" });
  });
});

describe("vector literals", () => {
  it("writes pgvector's text form at float4 precision and refuses non-finite values", () => {
    expect(toVectorLiteral([0.1234567891, -1, 0])).toBe("[0.1234568,-1,0]");
    expect(() => toVectorLiteral([Number.NaN])).toThrow();
    expect(() => toVectorLiteral([])).toThrow();
  });
});
