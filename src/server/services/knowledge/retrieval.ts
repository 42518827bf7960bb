import "server-only";
import { db as defaultDb } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { withSpan } from "~/server/infra/tracing";
import { blindTsquery } from "~/server/db/search-index";
import { contentKeysFor, openSealedColumns } from "~/server/db/keys/content-keys";
import { contentWords, embedderFromEnv, embedTexts, type Embedder } from "./embeddings";
import { matchingWordSets } from "./fts-terms";
import { vectorSearch, vectorStoreAvailable, type SqlClient } from "./vector-store";

/*
 * Hybrid retrieval over a tenant's ready documents.
 *
 * Full-text search always: the question's content words become an OR query
 * (`'w1' | 'w2' | …` through to_tsquery('english'), so each word is stemmed like
 * the indexed text). websearch_to_tsquery would AND every word, and a natural
 * question ("how many days can I work from abroad?") almost never has all its
 * words in one passage. Ranked by ts_rank_cd (cover density, headings weigh A,
 * body B) with normalization 32 (rank/(rank+1)); top 50. On a large tenant
 * only the question's rarer words select the passages to rank (fts-terms.ts).
 * Vector search when the database has pgvector and an embedder is configured:
 * cosine distance `<=>`, top 50. Both lists are fused by reciprocal rank
 * (score = Σ 1/(60 + rank)), so neither scale has to be calibrated against the
 * other, and the top `limit` passages are returned.
 *
 * Tenant scoping is in the SQL of both paths (WHERE "tenantId" = $1 on the chunk,
 * the document and the vector row), never a filter applied afterwards.
 *
 * Passages are sealed at rest (ADR 0015): the tsvector holds the workspace's blind tokens, so the
 * query is parsed by to_tsquery('english') as before and its lexemes blinded with the same key
 * (db/search-index.ts) before matching; the passages found are opened before they are returned.
 */

export type RetrievedPassage = {
  chunkId: string;
  documentId: string;
  documentTitle: string;
  page: number | null;
  heading: string | null;
  text: string;
  /** Reciprocal-rank-fusion score (higher is better); comparable within one result list only. */
  score: number;
};

export type RetrieveOptions = {
  limit?: number;
  /** Restrict to these documents (still only the tenant's own). */
  documentIds?: string[];
  /** Test seam: another database (the PGlite vector tests). */
  db?: SqlClient;
  /** Test seam: the embedder (default: EMBEDDINGS_PROVIDER); null turns the vector path off. */
  embedder?: Embedder | null;
  /** Test seam: which paths to use (default both when available). */
  mode?: "fts" | "hybrid";
  /**
   * Rank at most this many matching passages (default and ceiling MAX_RANKED). The command
   * palette asks for fewer: it shows three passages that contain the typed words while the
   * user types, and ranking is the cost of a common word (docs/performance.md, search).
   */
  maxRanked?: number;
};

export const RRF_K = 60;
const CANDIDATES = 50;
const MAX_LIMIT = 50;
const MAX_QUERY_TERMS = 32;
/**
 * At most this many matching passages are ranked per search. Ranking reads each one's tsvector, so an
 * unbounded match over a large tenant (a question of common words only) cost ~1 s at 100k chunks; the
 * rarer-words narrowing (fts-terms.ts) picks good candidates first, this bounds what is left. Which
 * passages past the bound are skipped is the index's order, not relevance: the price of the bound.
 */
export const MAX_RANKED = 3000;

/**
 * The to_tsquery text for a question: its distinct content words OR-ed, each
 * quoted (words are letters/digits only, so a quote can never appear inside).
 * null when nothing is left (empty, punctuation or stopwords only).
 */
export const ftsQueryText = (query: string): string | null => orQuery(ftsQueryWords(query));

/** The question's distinct content words (at most MAX_QUERY_TERMS), each safe to quote in a tsquery. */
export const ftsQueryWords = (query: string): string[] => [...new Set(contentWords(query.slice(0, 2000), MAX_QUERY_TERMS * 2, { fold: false }))].slice(0, MAX_QUERY_TERMS);

const orQuery = (words: readonly string[]): string | null => (words.length ? words.map((w) => `'${w}'`).join(" | ") : null);

type Hit = Omit<RetrievedPassage, "score">;

/**
 * Passages matching `matchTsquery` (default: `tsquery`), ranked by `tsquery`:
 * a narrower match bounds how many passages are ranked (see fts-terms.ts), and
 * at most MAX_RANKED of the matches are ranked at all.
 */
export const ftsSearch = async (
  input: { tenantId: string; tsquery: string; matchTsquery?: string; limit?: number; documentIds?: string[]; maxRanked?: number },
  sql: SqlClient = defaultDb,
): Promise<Hit[]> => {
  const docFilter = input.documentIds ? Prisma.sql`AND c."documentId" = ANY(${input.documentIds}::text[])` : Prisma.empty;
  const [rank, match] = await blindTsquery(sql, await contentKeysFor(input.tenantId), "english", [input.tsquery, input.matchTsquery ?? input.tsquery]);
  const hits = await sql.$queryRaw<Hit[]>`
    WITH candidates AS MATERIALIZED (
      SELECT c.id, c."documentId", d.title, c.page, c.heading, c.text, c.tsv
      FROM "DocumentChunk" c
      JOIN "Document" d ON d.id = c."documentId"
      WHERE c."tenantId" = ${input.tenantId} AND d."tenantId" = ${input.tenantId} AND d.status = 'ready'
        AND c.tsv @@ ${match}::tsquery
        ${docFilter}
      LIMIT ${Math.min(input.maxRanked ?? MAX_RANKED, MAX_RANKED)}
    )
    SELECT c.id AS "chunkId", c."documentId", c.title AS "documentTitle", c.page, c.heading, c.text
    FROM candidates c
    CROSS JOIN (SELECT ${rank}::tsquery AS q) AS r
    ORDER BY ts_rank_cd(c.tsv, r.q, 32) DESC, c.id
    LIMIT ${input.limit ?? CANDIDATES}`;
  return openSealedColumns(hits, PASSAGE_COLUMNS);
};

/** The sealed columns of a retrieved passage. */
export const PASSAGE_COLUMNS = { text: "DocumentChunk.text", heading: "DocumentChunk.heading", documentTitle: "Document.title" } as const;

/** Reciprocal rank fusion of ranked lists (each best first); ties keep the earlier list's order. */
export const fuseByReciprocalRank = (lists: Hit[][], limit: number, k = RRF_K): RetrievedPassage[] => {
  const fused = new Map<string, { hit: Hit; score: number; first: number }>();
  let seen = 0;
  for (const list of lists) {
    list.forEach((hit, i) => {
      const entry = fused.get(hit.chunkId) ?? { hit, score: 0, first: seen++ };
      entry.score += 1 / (k + i + 1);
      fused.set(hit.chunkId, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, limit)
    .map(({ hit, score }) => ({ ...hit, score }));
};

let loggedEmbedderError = false;
const resolveEmbedder = (opts: RetrieveOptions): Embedder | null => {
  if (opts.embedder !== undefined) return opts.embedder;
  try {
    return embedderFromEnv();
  } catch (err) {
    // A misconfigured embedder must not take retrieval down: full-text search still answers.
    if (!loggedEmbedderError) logger.error({ err }, "embeddings are misconfigured; retrieval uses full-text search only");
    loggedEmbedderError = true;
    return null;
  }
};

/**
 * The passages of the tenant's ready documents that best answer `query`.
 * Empty or stopword-only queries return [].
 */
export const retrievePassages = async (ctx: { tenantId: string }, query: string, opts: RetrieveOptions = {}): Promise<RetrievedPassage[]> => {
  const words = ftsQueryWords(query);
  const tsquery = orQuery(words);
  if (!tsquery) return [];
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 6)), MAX_LIMIT);
  if (opts.documentIds && opts.documentIds.length === 0) return [];
  const sql = opts.db ?? defaultDb;
  const embedder = opts.mode === "fts" ? null : resolveEmbedder(opts);
  const started = performance.now();

  return withSpan("knowledge.retrieve", { "ocsuite.tenant.id": ctx.tenantId, "knowledge.limit": limit }, async (span) => {
    const useVector = !!embedder && (await vectorStoreAvailable(sql));
    const mode = useVector ? "hybrid" : "fts";
    span.setAttribute("knowledge.mode", mode);

    const vectorHits = async (): Promise<Hit[]> => {
      if (!useVector || !embedder) return [];
      try {
        const [embedding] = await embedTexts(embedder, [query.slice(0, 8000)], { purpose: "query", tenantId: ctx.tenantId });
        const hits = await vectorSearch({ tenantId: ctx.tenantId, embedding: embedding!, model: embedder.model, limit: CANDIDATES, documentIds: opts.documentIds }, sql);
        return hits.map(({ distance: _distance, ...hit }) => hit);
      } catch (err) {
        // The embeddings provider is down or slow: answer from full-text search alone.
        logger.warn({ err, tenantId: ctx.tenantId }, "vector retrieval failed; using full-text search only");
        span.addEvent("knowledge.vector_failed", { "error.message": (err as Error).message.slice(0, 200) });
        return [];
      }
    };

    // The rarer words select the passages to rank; too few found (the statistics are the whole
    // table's, not this tenant's), the next wider set, up to every word (fts-terms.ts).
    const textHits = async (): Promise<Hit[]> => {
      const sets = await matchingWordSets(sql, words, await contentKeysFor(ctx.tenantId));
      let hits: Hit[] = [];
      for (const [i, set] of sets.entries()) {
        hits = await ftsSearch({ tenantId: ctx.tenantId, tsquery, matchTsquery: orQuery(set) ?? tsquery, documentIds: opts.documentIds, maxRanked: opts.maxRanked }, sql);
        span.setAttribute("knowledge.fts_match_words", set.length);
        if (hits.length >= limit || i === sets.length - 1) break;
      }
      return hits;
    };

    const [fts, vec] = await Promise.all([textHits(), vectorHits()]);
    const passages = fuseByReciprocalRank([fts, vec], limit);
    span.setAttributes({ "knowledge.fts_hits": fts.length, "knowledge.vector_hits": vec.length, "knowledge.result_count": passages.length });
    metrics.retrievalDuration.record((performance.now() - started) / 1000, { "ocsuite.retrieval.mode": mode });
    return passages;
  });
};
