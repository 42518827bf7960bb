import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTenant } from "../../../../prisma/factories";
import { seedDocument, utf8 } from "../../../../tests/fixtures/knowledge/seed";
import { metricValue } from "../../../../tests/support/prometheus-text";
import { db } from "~/server/db/client";
import { createFsStorage } from "~/server/infra/storage";
import { createTestEmbedder } from "./embeddings";
import { ingestDocumentNow } from "./ingest";
import { ftsQueryText, fuseByReciprocalRank, retrievePassages } from "./retrieval";
import { ensureVectorStore } from "./vector-store";

const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

const root = mkdtempSync(path.join(os.tmpdir(), "ocsuite-retrieval-"));
const storage = createFsStorage(root);
let tenantA: string;
let tenantB: string;
let policyA: string;
let policyB: string;

const POLICY = `# Travel policy

## Hotels
Hotels should not exceed 180 EUR per night. London and Zurich allow 250 EUR.

## Meals
The daily meal allowance is 60 EUR.`;

const ingest = async (tenantId: string, title: string, content: string) => {
  const doc = await seedDocument(db, storage, tenantId, { title, filename: "policy.md", bytes: utf8(content) });
  await ingestDocumentNow({ tenantId, documentId: doc.id, indexVersion: doc.indexVersion }, { storage });
  return doc.id;
};

const retrievalCount = (mode: string) => metricValue("ocsuite_retrieval_duration_count", { ocsuite_retrieval_mode: mode });

beforeAll(async () => {
  tenantA = (await createTenant()).id;
  tenantB = (await createTenant()).id;
  policyA = await ingest(tenantA, "Travel policy", POLICY);
  policyB = await ingest(tenantB, "Travel policy", POLICY);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => spans.reset());

describe("ftsQueryText", () => {
  it("ORs the distinct content words of a question, each quoted", () => {
    expect(ftsQueryText("What is the hotel limit in London? London!")).toBe("'hotel' | 'limit' | 'london'");
  });

  it("is null for empty, punctuation-only and stopword-only questions", () => {
    for (const q of ["", "   ", "?!…", "what is it and why?", "The"]) expect(ftsQueryText(q)).toBeNull();
  });

  it("never lets tsquery syntax through", () => {
    expect(ftsQueryText("hotel' | !(x & y):* <-> z")).toBe("'hotel' | 'x' | 'y' | 'z'");
  });

  it("caps the number of terms", () => {
    const many = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");
    expect(ftsQueryText(many)!.split(" | ")).toHaveLength(32);
  });
});

describe("fuseByReciprocalRank", () => {
  const hit = (id: string) => ({ chunkId: id, documentId: "d", documentTitle: "t", page: null, heading: null, text: id });
  it("adds 1/(60 + rank) over the lists and sorts by the sum", () => {
    const fused = fuseByReciprocalRank([[hit("a"), hit("b"), hit("c")], [hit("c"), hit("d")]], 10);
    expect(fused.map((p) => p.chunkId)).toEqual(["c", "a", "b", "d"]); // b and d tie at 1/62: b was listed first
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 61, 12);
  });
  it("breaks ties by the earlier list and cuts at the limit", () => {
    expect(fuseByReciprocalRank([[hit("a")], [hit("b")]], 1).map((p) => p.chunkId)).toEqual(["a"]);
  });
});

describe("retrievePassages (full-text search on the test database)", () => {
  it("answers from the tenant's ready documents with title, heading and a score", async () => {
    const passages = await retrievePassages({ tenantId: tenantA }, "how much can I spend on a hotel per night?");
    expect(passages[0]).toMatchObject({ documentId: policyA, documentTitle: "Travel policy", heading: "Hotels", page: null });
    expect(passages[0]!.text).toContain("180 EUR");
    expect(passages.every((p) => p.documentId === policyA)).toBe(true);
  });

  it("returns [] for empty and stopword-only queries without touching the database", async () => {
    expect(await retrievePassages({ tenantId: tenantA }, "")).toEqual([]);
    expect(await retrievePassages({ tenantId: tenantA }, "what is the?")).toEqual([]);
    expect(spans.getFinishedSpans().filter((s) => s.name === "knowledge.retrieve")).toHaveLength(0);
  });

  it("survives hostile query text", async () => {
    await expect(retrievePassages({ tenantId: tenantA }, "hotel'); DROP TABLE \"DocumentChunk\"; -- | !& :*")).resolves.toEqual(expect.any(Array));
    expect(await db.documentChunk.count({ where: { documentId: policyA } })).toBeGreaterThan(0);
  });

  it("ignores documents that are not ready, and other tenants' documents even when asked for by id", async () => {
    expect(await retrievePassages({ tenantId: tenantA }, "hotel", { documentIds: [policyB] })).toEqual([]);
    expect((await retrievePassages({ tenantId: tenantA }, "hotel", { documentIds: [policyA] })).length).toBeGreaterThan(0);
    await db.document.update({ where: { id: policyA }, data: { status: "processing" } });
    try {
      expect(await retrievePassages({ tenantId: tenantA }, "hotel night")).toEqual([]);
    } finally {
      await db.document.update({ where: { id: policyA }, data: { status: "ready" } });
    }
  });

  it("falls back to full-text search when the database has no pgvector, even with an embedder", async () => {
    // CI's PostgreSQL (Debian) and plain PGlite offer no vector extension.
    expect(await ensureVectorStore(db)).toMatchObject({ available: false });
    const before = await retrievalCount("fts");
    const passages = await retrievePassages({ tenantId: tenantA }, "daily meal allowance", { embedder: createTestEmbedder() });
    expect(passages[0]).toMatchObject({ documentId: policyA, heading: "Meals" });
    expect(await retrievalCount("fts")).toBe(before + 1);
    const span = spans.getFinishedSpans().find((s) => s.name === "knowledge.retrieve");
    expect(span?.attributes).toMatchObject({ "ocsuite.tenant.id": tenantA, "knowledge.mode": "fts", "knowledge.result_count": passages.length, "knowledge.vector_hits": 0 });
    expect(spans.getFinishedSpans().some((s) => s.name.startsWith("embeddings "))).toBe(false);
  });

  it("clamps the limit", async () => {
    const content = Array.from({ length: 30 }, (_, i) => `## Section ${i}\nThe hotel rule number ${i} applies.`).join("\n\n");
    const tenant = (await createTenant()).id;
    await ingest(tenant, "Many hotel rules", `# Rules\n\n${content}`);
    expect((await retrievePassages({ tenantId: tenant }, "hotel rule", { limit: 2 })).length).toBe(2);
    expect((await retrievePassages({ tenantId: tenant }, "hotel rule", { limit: 0 })).length).toBe(1);
  });
});
