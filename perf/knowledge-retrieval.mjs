#!/usr/bin/env node
// Knowledge retrieval latency (issue 5). Run from the repo root:
//   PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --conditions=react-server --import tsx perf/knowledge-retrieval.mjs [sizes=10000,100000] [rounds=4] [--hybrid]
// Full-text search on PostgreSQL: a fresh database (created, migrated with the
// real CLI, dropped at the end); one tenant grows to each size in chunks (100
// chunks per ready document, ~1,000 characters each of text drawn from the
// labelled corpus' vocabulary with a Zipf-like word distribution), while three
// other tenants hold the same number of noise chunks in total. ANALYZE after
// each load. Each round asks the 25 labelled questions of
// tests/fixtures/knowledge/company-docs.ts through retrievePassages (limit 6);
// median and p95 over all calls. Baseline in the same run, same client:
// SELECT id, text FROM "DocumentChunk" WHERE "tenantId" = $1 LIMIT 6.
// --hybrid: the same at the first size on embedded PGlite with pgvector and the
// deterministic test embedder (FTS + vector + RRF), against the same baseline there.
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { appEnv, freePort, median, migrate, p95, scratchDatabase } from "./lib/bench.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const SIZES = (args[0] ?? "10000,100000").split(",").map(Number);
const ROUNDS = Number(args[1] ?? 4);
const HYBRID = process.argv.includes("--hybrid");

const scratch = await scratchDatabase("retrieval");
const databaseUrl = scratch.url;

let raw;
let appDb;
const cleanups = [];
try {
  Object.assign(process.env, appEnv(databaseUrl));
  const { db } = await import("../src/server/db/client.ts");
  appDb = db;
  const { retrievePassages } = await import("../src/server/services/knowledge/retrieval.ts");
  const { CORPUS, QUESTIONS } = await import("../tests/fixtures/knowledge/company-docs.ts");

  // Vocabulary: the corpus' words, ranked by frequency there; sampled with a Zipf-like law.
  const freq = new Map();
  for (const d of CORPUS) for (const w of d.content.toLowerCase().match(/[a-z]{3,}/g) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  const vocab = [...freq.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const weights = vocab.map((_, i) => 1 / (i + 1));
  const cumulative = [];
  weights.reduce((s, w, i) => (cumulative[i] = s + w), 0);
  const total = cumulative.at(-1);
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const word = () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const chunkText = () => {
    let t = "";
    while (t.length < 1000) t += `${word()} `;
    return t.trim();
  };

  /**
   * Adds `count` chunks to `tenantId` through `prisma` (a client with content encryption: titles and
   * passages sealed, blind search index written, as ingestion stores them; ADR 0015), 100 per ready
   * document.
   */
  const load = async (prisma, tenantId, count, label) => {
    let made = 0;
    while (made < count) {
      const docId = `${label}${randomBytes(6).toString("hex")}`;
      await prisma.document.create({
        data: { id: docId, tenantId, title: `Document ${docId}`, filename: "doc.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: 1, sha256: randomBytes(32).toString("hex"), storageKey: "none", status: "ready", chunkCount: 100, indexVersion: 1 },
      });
      const n = Math.min(100, count - made);
      const data = [];
      for (let j = 0; j < n; j++) {
        const text = chunkText();
        data.push({ id: `${docId}_${j}`, tenantId, documentId: docId, ordinal: j, text, page: j + 1, heading: `Heading ${word()}`, charStart: 0, charEnd: text.length });
      }
      await prisma.documentChunk.createMany({ data });
      made += n;
    }
  };

  const measure = async (tenantId, opts, sqlClient) => {
    const calls = [];
    const baseline = [];
    let hits = 0;
    // Quality at this size: the labelled corpus is ingested into the tenant among the noise
    // (see below); the expected document must be among the top 3 distinct documents.
    let top3 = tenantId === tenants[0] ? 0 : null;
    if (top3 !== null) for (const q of QUESTIONS) {
      const ranked = [...new Set((await retrievePassages({ tenantId }, q.question, opts)).map((p) => corpusKeyOf.get(p.documentId)))];
      if (ranked.slice(0, 3).includes(q.expected)) top3++;
    }
    // Warm-up: one pass of each, not counted.
    for (const q of QUESTIONS) {
      await retrievePassages({ tenantId }, q.question, opts);
      await sqlClient.$queryRaw`SELECT id, text FROM "DocumentChunk" WHERE "tenantId" = ${tenantId} LIMIT 6`;
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const q of QUESTIONS) {
        let t0 = performance.now();
        const res = await retrievePassages({ tenantId }, q.question, opts);
        calls.push(performance.now() - t0);
        hits += res.length;
        t0 = performance.now();
        await sqlClient.$queryRaw`SELECT id, text FROM "DocumentChunk" WHERE "tenantId" = ${tenantId} LIMIT 6`;
        baseline.push(performance.now() - t0);
      }
    }
    return { calls, baseline, avgResults: hits / calls.length, top3 };
  };

  const report = (label, size, m) =>
    console.log(
      `| ${label} | ${size.toLocaleString("en")} | ${median(m.calls).toFixed(2)} ms | ${p95(m.calls).toFixed(2)} ms | ${median(m.baseline).toFixed(2)} ms | ${p95(m.baseline).toFixed(2)} ms | ${(median(m.calls) / median(m.baseline)).toFixed(1)}× | ${m.avgResults.toFixed(1)} | ${m.top3 === null ? "not loaded" : `${m.top3}/${QUESTIONS.length}`} |`,
    );

  console.log(`${QUESTIONS.length} questions × ${ROUNDS} rounds per size (Node ${process.version}, ${os.cpus().length} cores)`);
  console.log("| mode | chunks in tenant | median | p95 | baseline median | baseline p95 | median ratio | results/query | expected doc in top 3 |");
  console.log("|---|---|---|---|---|---|---|---|---|");

  raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  const tenants = [];
  for (const slug of ["perf-main", "perf-noise-1", "perf-noise-2", "perf-noise-3"]) {
    const id = `t_${slug}_${randomBytes(3).toString("hex")}`;
    await raw.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, $2, $3, now())`, [id, `${slug}-${randomBytes(3).toString("hex")}`, slug]);
    tenants.push(id);
  }
  // The labelled corpus through the real ingestion (as tests/knowledge-retrieval-quality.test.ts does),
  // into the measured tenant: its documents must still be found once the noise is around them.
  const { seedDocument, utf8 } = await import("../tests/fixtures/knowledge/seed.ts");
  const { createFsStorage } = await import("../src/server/infra/storage/index.ts");
  const { ingestDocumentNow } = await import("../src/server/services/knowledge/ingest.ts");
  const storageRoot = mkdtempSync(path.join(os.tmpdir(), "ocsuite-perf-retrieval-"));
  cleanups.push(async () => rmSync(storageRoot, { recursive: true, force: true }));
  const storage = createFsStorage(storageRoot);
  const corpusKeyOf = new Map();
  for (const d of CORPUS) {
    const doc = await seedDocument(db, storage, tenants[0], { title: d.title, filename: d.filename, bytes: utf8(d.content) });
    const res = await ingestDocumentNow({ tenantId: tenants[0], documentId: doc.id, indexVersion: doc.indexVersion }, { storage });
    if (res.status !== "ready") throw new Error(`corpus document ${d.key} did not index: ${res.status}`);
    corpusKeyOf.set(doc.id, d.key);
  }
  let loaded = 0;
  for (const size of SIZES) {
    const t0 = performance.now();
    await load(db, tenants[0], size - loaded, "m");
    for (const noise of tenants.slice(1)) await load(db, noise, Math.ceil((size - loaded) / 3), "n");
    loaded = size;
    await raw.query(`VACUUM ANALYZE "DocumentChunk"`);
    await raw.query(`VACUUM ANALYZE "Document"`);
    console.error(`loaded ${size} chunks (+${size} noise) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    report("FTS (PostgreSQL)", size, await measure(tenants[0], { limit: 6 }, db));
  }

  if (HYBRID) {
    const size = SIZES[0];
    const { createPglite, startPgliteServer } = await import("../scripts/lib/pglite-server.mjs");
    const { PrismaClient } = await import("../src/server/db/generated/client.ts");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { pgConfigFromUrl } = await import("../src/server/db/pg-config.ts");
    const { createTestEmbedder, testEmbedding } = await import("../src/server/services/knowledge/embeddings.ts");
    const { ensureVectorStore, toVectorLiteral } = await import("../src/server/services/knowledge/vector-store.ts");
    const pglite = await createPglite();
    const server = await startPgliteServer({ db: pglite, host: "127.0.0.1", port: await freePort(), maxConnections: 20 });
    cleanups.push(async () => {
      await server.stop();
      await pglite.close();
    });
    const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    await migrate(url);
    const { withContentEncryption } = await import("../src/server/db/client.ts");
    const client = withContentEncryption(new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(url, { max: 5 })) }));
    cleanups.unshift(() => client.$disconnect());
    const lite = new pg.Client({ connectionString: url });
    await lite.connect();
    cleanups.unshift(() => lite.end());
    const ids = [];
    for (const slug of ["lite-main", "lite-noise"]) {
      const id = `t_${slug}`;
      await lite.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, $1, $1, now())`, [id]);
      ids.push(id);
    }
    const t0 = performance.now();
    await load(client, ids[0], size, "m");
    await load(client, ids[1], size, "n");
    if (!(await ensureVectorStore(client)).available) throw new Error("pgvector is not available in PGlite");
    const embedder = createTestEmbedder();
    // Embed every chunk (heading + text, as ingestion does) in batches of 500.
    for (let offset = 0; ; offset += 500) {
      // Read through the client: the passages are sealed at rest.
      const rows = await client.documentChunk.findMany({ select: { id: true, heading: true, text: true }, orderBy: { id: "asc" }, skip: offset, take: 500 });
      if (rows.length === 0) break;
      const vecs = rows.map((r) => toVectorLiteral(testEmbedding(`${r.heading}\n${r.text}`)));
      await lite.query(
        `INSERT INTO "DocumentChunkEmbedding" ("chunkId", "tenantId", model, embedding)
         SELECT c.id, c."tenantId", $3, x.v::vector FROM unnest($1::text[], $2::text[]) AS x(id, v) JOIN "DocumentChunk" c ON c.id = x.id`,
        [rows.map((r) => r.id), vecs, embedder.model],
      );
    }
    await lite.query(`ANALYZE`);
    console.error(`PGlite: loaded and embedded ${size} chunks (+${size} noise) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    report("FTS only (PGlite)", size, await measure(ids[0], { limit: 6, db: client, mode: "fts" }, client));
    report("hybrid FTS + vector, RRF (PGlite, test embedder)", size, await measure(ids[0], { limit: 6, db: client, embedder }, client));
  }
} finally {
  for (const c of cleanups) await c().catch(() => {});
  await raw?.end().catch(() => {});
  await appDb?.$disconnect().catch(() => {});
  await scratch.drop();
}
process.exit(0);
