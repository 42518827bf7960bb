import "server-only";
import { db as defaultDb, type Db } from "~/server/db/client";
import { isObjectNotFound, storageForDocument, type ObjectStorage } from "~/server/infra/storage";
import { embedTexts, type Embedder } from "./embeddings";
import { KnowledgeError, type KnowledgeErrorReason } from "./errors";
import { chunkDocument, detectKind, extractDocument, type ExtractedDocument } from "./extract";
import { openOriginal } from "./original-cipher";
import { upsertEmbeddings, vectorStoreAvailable } from "./vector-store";

/*
 * The ingestion core: what the `knowledge/document.ingest` Inngest function
 * (inngest/jobs/ingest-document.ts) runs inside its steps, free of Inngest
 * so tests and benchmarks can drive the same code.
 *
 * Every write is conditional on the document still being at the event's
 * indexVersion: an upload, re-index or delete that happened meanwhile makes the
 * run stale, and a stale run changes nothing. The chunk replacement is one
 * transaction that first updates (and so row-locks) the document: a concurrent
 * delete either commits before it (the update matches nothing; no chunk is
 * written) or waits for it and then cascades over the new chunks.
 */

export type IngestTarget = { tenantId: string; documentId: string; indexVersion: number };

/** Test/benchmark seams; the defaults are the app's database and configured storage. */
export type IngestDeps = { db?: Db; storage?: ObjectStorage };

export type IndexResult =
  | { status: "ready"; chunkCount: number; pageCount: number | null; charCount: number }
  | { status: "stale" };

export type ChunkRow = { ordinal: number; text: string; page: number | null; heading: string | null; charStart: number; charEnd: number };

/** Rows per createMany: 8 columns × 1,000 rows stays far below Postgres' 65,535 bind parameters. */
const INSERT_BATCH = 1_000;

const current = (t: IngestTarget) => ({ id: t.documentId, tenantId: t.tenantId, indexVersion: t.indexVersion });

/** True when the document is gone or was re-indexed since the event. */
export const isStale = async (t: IngestTarget, deps: IngestDeps = {}): Promise<boolean> =>
  (await (deps.db ?? defaultDb).document.count({ where: current(t) })) === 0;

/**
 * Marks the document `processing` and returns where its original is, or null
 * when the run is stale.
 */
export const beginIngestion = async (t: IngestTarget, deps: IngestDeps = {}): Promise<{ storageKey: string; storageRegion: string | null; contentKeyCiphertext: string | null } | null> => {
  const sql = deps.db ?? defaultDb;
  const doc = await sql.document.findFirst({ where: current(t), select: { storageKey: true, storageRegion: true, contentKeyCiphertext: true } });
  if (!doc) return null;
  const { count } = await sql.document.updateMany({ where: current(t), data: { status: "processing", errorReason: null } });
  return count ? doc : null;
};

/** Content detection and text extraction (the "extract" phase). Throws KnowledgeError for a bad file. */
export const extractOriginal = async (bytes: Uint8Array): Promise<ExtractedDocument> => {
  const detected = detectKind(bytes);
  if (!detected) throw new KnowledgeError("unsupportedFileType");
  return extractDocument(bytes, detected.kind);
};

/** Passages with their source positions (the "chunk" phase). */
export const chunkExtracted = (doc: ExtractedDocument): ChunkRow[] => {
  const chunks = chunkDocument(doc);
  if (chunks.length === 0) throw new KnowledgeError("noTextFound");
  return chunks;
};

/**
 * The "index" phase: in one transaction, only while the document is still at
 * this indexVersion, replace its chunks and mark it ready with its counts.
 */
export const writeChunks = async (
  t: IngestTarget,
  meta: { pageCount: number | null; charCount: number },
  chunks: ChunkRow[],
  deps: IngestDeps = {},
): Promise<IndexResult> => {
  const sql = deps.db ?? defaultDb;
  return sql.$transaction(
    async (tx) => {
      const { count } = await tx.document.updateMany({
        where: current(t),
        data: { status: "ready", errorReason: null, pageCount: meta.pageCount, charCount: meta.charCount, chunkCount: chunks.length, indexedAt: new Date() },
      });
      if (count === 0) return { status: "stale" as const };
      await tx.documentChunk.deleteMany({ where: { documentId: t.documentId, tenantId: t.tenantId } });
      for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
        await tx.documentChunk.createMany({
          data: chunks.slice(i, i + INSERT_BATCH).map((c) => ({
            tenantId: t.tenantId,
            documentId: t.documentId,
            ordinal: c.ordinal,
            text: c.text,
            page: c.page,
            heading: c.heading,
            charStart: c.charStart,
            charEnd: c.charEnd,
          })),
        });
      }
      return { status: "ready" as const, chunkCount: chunks.length, pageCount: meta.pageCount, charCount: meta.charCount };
    },
    // A 500-page document is a few thousand rows: far beyond the 5 s default.
    { maxWait: 30_000, timeout: 300_000 },
  );
};

/**
 * Extract, chunk and index in one go (the function's "extract-and-index" step).
 * One step rather than two because the extracted text is megabytes: a step's
 * output is memoized as JSON by the engine (Inngest caps it at 4 MB), and
 * re-extracting in a second step would double the most expensive phase. The
 * index transaction is idempotent, so retrying the whole step is safe.
 */
export const extractAndIndex = async (t: IngestTarget, deps: IngestDeps = {}): Promise<IndexResult> => {
  const begun = await beginIngestion(t, deps);
  if (!begun) return { status: "stale" };
  let stored: Uint8Array;
  try {
    stored = await (deps.storage ?? storageForDocument(begun)).get(begun.storageKey);
  } catch (err) {
    // Deleted meanwhile (row and original): nothing to do. Still current: a real failure, retried.
    if (isObjectNotFound(err) && (await isStale(t, deps))) return { status: "stale" };
    throw err;
  }
  // An original that no longer decrypts fails the document with originalUnreadable (a KnowledgeError: not retried).
  const bytes = await openOriginal({ tenantId: t.tenantId, id: t.documentId, contentKeyCiphertext: begun.contentKeyCiphertext }, stored);
  const extracted = await extractOriginal(bytes);
  const chunks = chunkExtracted(extracted);
  return writeChunks(t, { pageCount: extracted.pageCount, charCount: extracted.charCount }, chunks, deps);
};

/** Ordinal ranges of at most `batchSize` chunks (and at most `maxBatches` ranges: Inngest caps steps per run). */
export const embeddingPlan = (chunkCount: number, batchSize: number, maxBatches = 500): { fromOrdinal: number; toOrdinal: number }[] => {
  const size = Math.max(1, batchSize, Math.ceil(chunkCount / maxBatches));
  const ranges: { fromOrdinal: number; toOrdinal: number }[] = [];
  for (let from = 0; from < chunkCount; from += size) ranges.push({ fromOrdinal: from, toOrdinal: Math.min(chunkCount, from + size) });
  return ranges;
};

/**
 * The "embed" phase for chunks with ordinal in [fromOrdinal, toOrdinal): embeds
 * heading + text and upserts the vectors. Idempotent; a no-op once stale.
 */
export const embedChunkRange = async (
  t: IngestTarget,
  range: { fromOrdinal: number; toOrdinal: number },
  embedder: Embedder,
  deps: IngestDeps = {},
): Promise<{ embedded: number; stale: boolean }> => {
  const sql = deps.db ?? defaultDb;
  if ((await sql.document.count({ where: { ...current(t), status: "ready" } })) === 0) return { embedded: 0, stale: true };
  const chunks = await sql.documentChunk.findMany({
    where: { documentId: t.documentId, tenantId: t.tenantId, ordinal: { gte: range.fromOrdinal, lt: range.toOrdinal } },
    select: { id: true, text: true, heading: true },
    orderBy: { ordinal: "asc" },
  });
  if (chunks.length === 0) return { embedded: 0, stale: false };
  const vectors = await embedTexts(
    embedder,
    chunks.map((c) => (c.heading ? `${c.heading}\n${c.text}` : c.text)),
    { purpose: "document", tenantId: t.tenantId },
  );
  const embedded = await upsertEmbeddings(
    chunks.map((c, i) => ({ chunkId: c.id, embedding: vectors[i]! })),
    embedder.model,
    sql,
  );
  return { embedded, stale: false };
};

/**
 * Records a failure with its reason, unless the run is stale or the document
 * is already ready for this version (an embedding failure after indexing: the
 * document stays searchable by full-text search; the dead letter has the error).
 */
export const markIngestionFailed = async (t: IngestTarget, reason: KnowledgeErrorReason | "ingestionFailed" | "tenantSuspended", deps: IngestDeps = {}): Promise<boolean> => {
  const { count } = await (deps.db ?? defaultDb).document.updateMany({
    where: { ...current(t), status: { not: "ready" } },
    data: { status: "failed", errorReason: reason },
  });
  return count > 0;
};

/**
 * The whole pipeline in-process (no engine, no retries): extract, chunk,
 * index, then embed when an embedder is given and the database has pgvector.
 * A KnowledgeError marks the document failed and is rethrown. Used by tests
 * that are about retrieval rather than the job, and by the benchmarks.
 */
export const ingestDocumentNow = async (
  t: IngestTarget,
  deps: IngestDeps & { embedder?: Embedder | null; embedBatchSize?: number } = {},
): Promise<IndexResult & { embedded: number }> => {
  let indexed: IndexResult;
  try {
    indexed = await extractAndIndex(t, deps);
  } catch (err) {
    if (err instanceof KnowledgeError) await markIngestionFailed(t, err.reason, deps);
    throw err;
  }
  let embedded = 0;
  if (indexed.status === "ready" && deps.embedder && (await vectorStoreAvailable(deps.db ?? defaultDb))) {
    for (const range of embeddingPlan(indexed.chunkCount, deps.embedBatchSize ?? 64)) {
      embedded += (await embedChunkRange(t, range, deps.embedder, deps)).embedded;
    }
  }
  return { ...indexed, embedded };
};
