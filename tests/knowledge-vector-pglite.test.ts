/**
 * The vector half of hybrid retrieval, for real: PGlite with pgvector (the
 * embedded database `npm start` runs, created by scripts/lib/pglite-server.mjs'
 * createPglite and served over TCP by the same server), migrated with the real
 * CLI, a Prisma client over it, documents ingested through the ingestion core
 * with the deterministic test embedder.
 *
 * Shows: the extension and table are set up on first use; a query whose stems
 * FTS cannot match still finds its document by vector; the fused order is
 * reciprocal-rank fusion of the two lists; vector search is tenant-scoped in
 * the query; deleting a document removes its vectors.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPglite, startPgliteServer } from "../scripts/lib/pglite-server.mjs";
import { CORPUS, SPELLING_DOC, SPELLING_QUERY } from "./fixtures/knowledge/company-docs";
import { seedDocument, utf8 } from "./fixtures/knowledge/seed";
import { withContentEncryption, type Db } from "~/server/db/client";
import { PrismaClient } from "~/server/db/generated/client";
import { pgConfigFromUrl } from "~/server/db/pg-config";
import { createFsStorage } from "~/server/infra/storage";
import { createTestEmbedder, embedTexts } from "~/server/services/knowledge/embeddings";
import { ingestDocumentNow } from "~/server/services/knowledge/ingest";
import { ftsQueryText, ftsSearch, fuseByReciprocalRank, retrievePassages, RRF_K } from "~/server/services/knowledge/retrieval";
import { ensureVectorStore, vectorSearch } from "~/server/services/knowledge/vector-store";

const ROOT = path.resolve(import.meta.dirname, "..");
const embedder = createTestEmbedder();
const storageRoot = mkdtempSync(path.join(os.tmpdir(), "ocsuite-vector-"));
const storage = createFsStorage(storageRoot);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const migrate = (databaseUrl: string) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${out}`))));
  });

let pglite: Awaited<ReturnType<typeof createPglite>>;
let server: Awaited<ReturnType<typeof startPgliteServer>>;
let client: Db;
let tenantA: string;
let tenantB: string;
const docsA = new Map<string, string>(); // corpus key → document id
let brandB: string;

const ingest = async (tenantId: string, d: { title: string; filename: string; content: string }) => {
  const doc = await seedDocument(client, storage, tenantId, { title: d.title, filename: d.filename, bytes: utf8(d.content) });
  const res = await ingestDocumentNow({ tenantId, documentId: doc.id, indexVersion: doc.indexVersion }, { db: client, storage, embedder });
  expect(res).toMatchObject({ status: "ready" });
  if (res.status === "ready") expect(res.embedded).toBe(res.chunkCount);
  return doc.id;
};

beforeAll(async () => {
  pglite = await createPglite();
  server = await startPgliteServer({ db: pglite, host: "127.0.0.1", port: await freePort(), maxConnections: 20 });
  const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
  await migrate(url);
  // Content sealed as the app's own client does (the workspaces' keys live in the app's database).
  client = withContentEncryption(new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(url, { max: 5 })) })) as unknown as Db;
  tenantA = (await client.tenant.create({ data: { slug: "vec-a", name: "Vector A" } })).id;
  tenantB = (await client.tenant.create({ data: { slug: "vec-b", name: "Vector B" } })).id;
  for (const d of [...CORPUS, SPELLING_DOC]) docsA.set(d.key, await ingest(tenantA, d));
  brandB = await ingest(tenantB, SPELLING_DOC);
}, 120_000);

afterAll(async () => {
  await client?.$disconnect();
  await server?.stop();
  await pglite?.close();
  rmSync(storageRoot, { recursive: true, force: true });
});

describe("vector retrieval on PGlite + pgvector", () => {
  it("enables the extension and the embedding table on first use, with one vector per chunk", async () => {
    expect(await ensureVectorStore(client)).toEqual({ available: true });
    const [row] = await client.$queryRaw<{ vectors: number; chunks: number; dims: number }[]>`
      SELECT (SELECT count(*)::int FROM "DocumentChunkEmbedding") AS vectors,
             (SELECT count(*)::int FROM "DocumentChunk") AS chunks,
             (SELECT max(vector_dims(embedding))::int FROM "DocumentChunkEmbedding") AS dims`;
    expect(row).toEqual({ vectors: row!.chunks, chunks: row!.chunks, dims: 256 });
    const tenants = await client.$queryRaw<{ ok: boolean }[]>`
      SELECT bool_and(e."tenantId" = c."tenantId") AS ok FROM "DocumentChunkEmbedding" e JOIN "DocumentChunk" c ON c.id = e."chunkId"`;
    expect(tenants[0]?.ok).toBe(true);
  });

  it("finds a document by vector that full-text search cannot match", async () => {
    const brand = docsA.get("brand")!;
    // Not one of the query's stems is in the document's tsvector.
    const tsq = ftsQueryText(SPELLING_QUERY)!;
    const lexical = await client.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "DocumentChunk" WHERE "documentId" = ${brand} AND tsv @@ to_tsquery('english', ${tsq})`;
    expect(lexical[0]?.n).toBe(0);
    const ftsOnly = await retrievePassages({ tenantId: tenantA }, SPELLING_QUERY, { db: client, embedder, mode: "fts" });
    expect(ftsOnly.map((p) => p.documentId)).not.toContain(brand);

    // The vector list ranks it first; fused with FTS's own first hit (the DPA's "Standard
    // Contractual Clauses"), it lands in the top 3.
    const [embedding] = await embedTexts(embedder, [SPELLING_QUERY], { purpose: "query" });
    expect((await vectorSearch({ tenantId: tenantA, embedding: embedding!, model: embedder.model }, client))[0]?.documentId).toBe(brand);
    const hybrid = await retrievePassages({ tenantId: tenantA }, SPELLING_QUERY, { db: client, embedder });
    const found = hybrid.slice(0, 3).find((p) => p.documentId === brand);
    expect(found).toMatchObject({ documentTitle: "Brand Guidelines", heading: "Colours" });
    expect(found?.text).toContain("organisation standardises its colours");
  });

  it("fuses the full-text and vector lists by reciprocal rank", async () => {
    const query = "How long do I have to submit receipts to get reimbursed for travel?";
    const tsquery = ftsQueryText(query)!;
    const [embedding] = await embedTexts(embedder, [query], { purpose: "query" });
    const fts = await ftsSearch({ tenantId: tenantA, tsquery }, client);
    const vec = await vectorSearch({ tenantId: tenantA, embedding: embedding!, model: embedder.model }, client);
    expect(fts.length).toBeGreaterThan(0);
    expect(vec.length).toBeGreaterThan(0);

    const hybrid = await retrievePassages({ tenantId: tenantA }, query, { db: client, embedder, limit: 6 });
    const rank = (list: { chunkId: string }[], id: string) => list.findIndex((h) => h.chunkId === id);
    for (const p of hybrid) {
      const inFts = rank(fts, p.chunkId);
      const inVec = rank(vec, p.chunkId);
      const expected = (inFts >= 0 ? 1 / (RRF_K + inFts + 1) : 0) + (inVec >= 0 ? 1 / (RRF_K + inVec + 1) : 0);
      expect(p.score).toBeCloseTo(expected, 12);
    }
    expect(hybrid.map((p) => p.score)).toEqual([...hybrid.map((p) => p.score)].sort((a, b) => b - a));
    expect(hybrid.map((p) => p.chunkId)).toEqual(fuseByReciprocalRank([fts, vec.map(({ distance: _d, ...h }) => h)], 6).map((p) => p.chunkId));
    expect(hybrid[0]?.documentId).toBe(docsA.get("finance"));
    // A passage both lists agree on beats one that only one list ranks first.
    const both = hybrid.find((p) => rank(fts, p.chunkId) >= 0 && rank(vec, p.chunkId) >= 0);
    expect(both).toBeDefined();
  });

  it("scopes the vector query to the tenant", async () => {
    const [embedding] = await embedTexts(embedder, [SPELLING_QUERY], { purpose: "query" });
    const forA = await vectorSearch({ tenantId: tenantA, embedding: embedding!, model: embedder.model, limit: 500 }, client);
    const forB = await vectorSearch({ tenantId: tenantB, embedding: embedding!, model: embedder.model, limit: 500 }, client);
    expect(forA.length).toBeGreaterThan(1);
    expect(forA.map((h) => h.documentId)).not.toContain(brandB);
    expect(new Set(forB.map((h) => h.documentId))).toEqual(new Set([brandB]));
    // Tenant B's identical document is the nearest for B, never for A.
    expect(forA[0]?.documentId).toBe(docsA.get("brand"));
    expect(forA[0]?.distance).toBeCloseTo(forB[0]!.distance, 6);
    const hybridB = await retrievePassages({ tenantId: tenantB }, "What does the finance policy say about hotels?", { db: client, embedder, limit: 20 });
    expect(hybridB.every((p) => p.documentId === brandB)).toBe(true);
    // Another model's vectors are never compared.
    expect(await vectorSearch({ tenantId: tenantA, embedding: embedding!, model: "other-model" }, client)).toEqual([]);
  });

  it("restricts to the given documents and drops a deleted document's vectors", async () => {
    const handbook = docsA.get("handbook")!;
    const only = await retrievePassages({ tenantId: tenantA }, "dogs in the office", { db: client, embedder, documentIds: [handbook] });
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((p) => p.documentId === handbook)).toBe(true);

    await client.document.delete({ where: { id: handbook } });
    const left = await client.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "DocumentChunkEmbedding" e LEFT JOIN "DocumentChunk" c ON c.id = e."chunkId" WHERE c.id IS NULL OR c."documentId" = ${handbook}`;
    expect(left[0]?.n).toBe(0);
    const after = await retrievePassages({ tenantId: tenantA }, "Can I bring my dog to the office?", { db: client, embedder, limit: 20 });
    expect(after.map((p) => p.documentId)).not.toContain(handbook);
  });
});
