import "server-only";
import { db as defaultDb, type Db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { openSealedColumns } from "~/server/db/keys/content-keys";

/*
 * The optional pgvector table of chunk embeddings.
 *
 * It is NOT in the Prisma schema: Debian's PostgreSQL (CI, many self-hosted
 * installs) has no pgvector, and a migration that needs the extension would fail
 * there. Instead, on first use per process and database client, we look for the
 * extension; when the server offers it (PGlite under `npm start`, managed
 * Postgres with pgvector) we create the extension, the table and its tenant
 * index idempotently, and vector search is on. Otherwise it is off, logged once,
 * and visible as ocsuite_vector_search_available 0; retrieval then uses
 * full-text search alone.
 *
 * Rows cascade with their chunk, so deleting a document or re-indexing it
 * (which replaces its chunks) removes its vectors without any code here.
 * No ANN index: the tenant filter comes first and an exact scan over one
 * tenant's vectors is accurate and fast enough at the sizes in
 * docs/performance.md; an HNSW index needs a fixed dimension per table, which a
 * deployment that changes embedding model would not have.
 */

/** What the vector code needs from a Prisma client (the app's, a PGlite test client, or a transaction). */
export type SqlClient = Pick<Db, "$queryRaw" | "$executeRaw">;

export type VectorStoreStatus = { available: true } | { available: false; reason: string };

const detected = new WeakMap<object, Promise<VectorStoreStatus>>();
let lastStatus: VectorStoreStatus | null = null;
let loggedUnavailable = false;

const detect = async (sql: SqlClient): Promise<VectorStoreStatus> => {
  const offered = await sql.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'vector'`;
  if (offered.length === 0) return { available: false, reason: "the database server does not offer the pgvector extension" };
  try {
    await sql.$executeRaw`CREATE EXTENSION IF NOT EXISTS vector`;
    await sql.$executeRaw`
      CREATE TABLE IF NOT EXISTS "DocumentChunkEmbedding" (
        "chunkId" text PRIMARY KEY REFERENCES "DocumentChunk"(id) ON DELETE CASCADE,
        "tenantId" text NOT NULL,
        "model" text NOT NULL,
        "embedding" vector NOT NULL
      )`;
    await sql.$executeRaw`CREATE INDEX IF NOT EXISTS "DocumentChunkEmbedding_tenantId_model_idx" ON "DocumentChunkEmbedding" ("tenantId", "model")`;
    return { available: true };
  } catch (err) {
    // E.g. no privilege to CREATE EXTENSION on a managed server: FTS keeps working.
    return { available: false, reason: `pgvector could not be enabled: ${(err as Error).message.slice(0, 300)}` };
  }
};

/**
 * Detects (once per client) whether vector search is possible and prepares the
 * table. A failure to even ask (database down) is not cached: the next call asks again.
 */
export const ensureVectorStore = async (sql: SqlClient = defaultDb): Promise<VectorStoreStatus> => {
  let pending = detected.get(sql);
  if (!pending) {
    pending = detect(sql);
    detected.set(sql, pending);
    pending.then(
      (status) => {
        lastStatus = status;
        metrics.vectorSearchAvailable.record(status.available ? 1 : 0);
        if (!status.available && !loggedUnavailable) {
          loggedUnavailable = true;
          logger.info({ reason: status.reason }, "vector search is off: retrieval uses full-text search only");
        }
      },
      () => detected.delete(sql),
    );
  }
  return pending;
};

export const vectorStoreAvailable = async (sql: SqlClient = defaultDb): Promise<boolean> => (await ensureVectorStore(sql)).available;

/** The last detected status in this process (null before the first retrieval or ingestion): a health detail. */
export const vectorSearchStatus = (): VectorStoreStatus | null => lastStatus;

/** pgvector's text form; 7 significant digits is float4 precision, which is what pgvector stores. */
export const toVectorLiteral = (v: readonly number[]): string => {
  if (v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new Error("an embedding must be a non-empty vector of finite numbers");
  return `[${v.map((x) => Number(x.toPrecision(7))).join(",")}]`;
};

/**
 * Inserts or replaces the embeddings of existing chunks. The tenant id is
 * copied from the chunk row itself, never taken from the caller; ids of chunks
 * that no longer exist (re-indexed or deleted meanwhile) are skipped.
 */
export const upsertEmbeddings = async (rows: { chunkId: string; embedding: readonly number[] }[], model: string, sql: SqlClient = defaultDb): Promise<number> => {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.chunkId);
  const vectors = rows.map((r) => toVectorLiteral(r.embedding));
  return sql.$executeRaw`
    INSERT INTO "DocumentChunkEmbedding" ("chunkId", "tenantId", "model", "embedding")
    SELECT c.id, c."tenantId", ${model}, x.emb::vector
    FROM unnest(${ids}::text[], ${vectors}::text[]) AS x(id, emb)
    JOIN "DocumentChunk" c ON c.id = x.id
    ON CONFLICT ("chunkId") DO UPDATE SET "tenantId" = EXCLUDED."tenantId", "model" = EXCLUDED."model", "embedding" = EXCLUDED."embedding"`;
};

export type VectorHit = {
  chunkId: string;
  documentId: string;
  documentTitle: string;
  page: number | null;
  heading: string | null;
  text: string;
  distance: number;
};

/**
 * The `limit` chunks of ONE tenant nearest to `embedding` by cosine distance,
 * among ready documents and vectors of the same model. The tenant filter is in
 * the query on every table it touches.
 */
export const vectorSearch = async (
  input: { tenantId: string; embedding: readonly number[]; model: string; limit?: number; documentIds?: string[] },
  sql: SqlClient = defaultDb,
): Promise<VectorHit[]> => {
  const docFilter = input.documentIds ? Prisma.sql`AND c."documentId" = ANY(${input.documentIds}::text[])` : Prisma.empty;
  const rows = await sql.$queryRaw<VectorHit[]>`
    SELECT c.id AS "chunkId", c."documentId", d.title AS "documentTitle", c.page, c.heading, c.text,
           (e.embedding <=> ${toVectorLiteral(input.embedding)}::vector)::float8 AS distance
    FROM "DocumentChunkEmbedding" e
    JOIN "DocumentChunk" c ON c.id = e."chunkId"
    JOIN "Document" d ON d.id = c."documentId"
    WHERE e."tenantId" = ${input.tenantId} AND c."tenantId" = ${input.tenantId} AND d."tenantId" = ${input.tenantId}
      AND d.status = 'ready' AND e.model = ${input.model}
      ${docFilter}
    ORDER BY distance, c.id
    LIMIT ${input.limit ?? 50}`;
  // Passages are sealed at rest (ADR 0015): opened here, like full-text search's.
  return openSealedColumns(rows.map((r) => ({ ...r, distance: Number(r.distance) })), { text: "DocumentChunk.text", heading: "DocumentChunk.heading", documentTitle: "Document.title" });
};
