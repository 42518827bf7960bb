import "server-only";
import { blindToken, type ContentKeys } from "@ocsuite/crypto";
import { LRUCache } from "lru-cache";
import { logger } from "~/server/infra/logger";
import type { SqlClient } from "./vector-store";

/*
 * Which of a question's words full-text search MATCHES on (every word still
 * RANKS the candidates). A question's OR query over words found in most
 * passages ("day", "work", "year") matches most of a large tenant, and ranking
 * every match is what made retrieval slow at 100k chunks (all of them ranked,
 * ~1 s on 2 cores). So the words are taken rarest first while the share of
 * passages they may match stays under a bound (CANDIDATE_SHARE_STEPS); the
 * rest only rank. The rarest word is always matched.
 *
 * How common a word is comes from PostgreSQL's own statistics for the tsv
 * column (pg_stats.most_common_elems / most_common_elem_freqs, kept by ANALYZE
 * and autovacuum: the planner's numbers, no table of our own to maintain):
 * a lexeme in the list has its share of rows; one not in it is rarer than the
 * list's least common entry. They describe the whole table, not one tenant —
 * an approximation that retrievePassages backs with a fallback: when the
 * narrowed match finds fewer passages than asked for (a rare word this tenant
 * does not use at all), it searches again with the next bound, then with
 * every word. No statistics yet (a small or new table): every word matches,
 * as before. Read once per TERM_STATS_TTL_MS per process.
 *
 * The tsv column holds blind tokens (ADR 0015), so are its statistics: a word's lexemes are
 * blinded with the workspace's key before they are looked up. Each workspace's tokens differ, so a
 * token's share of the whole table is its share of this workspace's passages scaled down by the
 * workspace's part of the table: the share is scaled back up by that part (table rows / the
 * workspace's rows, both cached like the statistics), which makes it this workspace's own.
 */

/**
 * The shares of passages the matched words may together cover (an over-estimate: shares are summed),
 * tried in turn while a search finds fewer passages than asked for; then every word.
 */
export const CANDIDATE_SHARE_STEPS = [0.05, 0.25] as const;
const TERM_STATS_TTL_MS = 10 * 60_000;

type TermStats = { shares: Map<string, number>; floor: number };
type Cached = { at: number; stats: Promise<TermStats | null> };

const statsByClient = new WeakMap<object, Cached>();
/** word → its lexemes under the 'english' configuration (what to_tsquery makes of it). */
const lexemesOf = new LRUCache<string, string[]>({ max: 20_000 });

const readStats = async (sql: SqlClient): Promise<TermStats | null> => {
  const rows = await sql.$queryRaw<{ lex: string; share: number }[]>`
    SELECT e.lex, e.share::float8 AS share
    FROM pg_stats s
    CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lex, share)
    -- most_common_elem_freqs has three more entries than the elements (min, max, null share): their lex is NULL.
    WHERE s.schemaname = current_schema() AND s.tablename = 'DocumentChunk' AND s.attname = 'tsv' AND e.lex IS NOT NULL`;
  if (rows.length === 0) return null;
  const shares = new Map(rows.map((r) => [r.lex, Number(r.share)]));
  return { shares, floor: Math.min(...shares.values()) };
};

const termStats = (sql: SqlClient): Promise<TermStats | null> => {
  const cached = statsByClient.get(sql);
  if (cached && Date.now() - cached.at < TERM_STATS_TTL_MS) return cached.stats;
  const stats = readStats(sql).catch((err: unknown) => {
    // Statistics are an optimisation: without them every word matches.
    logger.warn({ err }, "full-text term statistics unavailable; matching on every word");
    statsByClient.delete(sql);
    return null;
  });
  statsByClient.set(sql, { at: Date.now(), stats });
  return stats;
};

const lexemes = async (sql: SqlClient, words: readonly string[]): Promise<Map<string, string[]>> => {
  const missing = words.filter((w) => !lexemesOf.has(w));
  if (missing.length > 0) {
    const rows = await sql.$queryRaw<{ word: string; lexemes: string[] }[]>`
      SELECT w.word, tsvector_to_array(to_tsvector('english', w.word)) AS lexemes FROM unnest(${missing}::text[]) AS w(word)`;
    for (const r of rows) lexemesOf.set(r.word, r.lexemes);
  }
  return new Map(words.map((w) => [w, lexemesOf.get(w) ?? []]));
};

/**
 * The word sets to match on, narrowest first: for each bound of
 * CANDIDATE_SHARE_STEPS the words taken rarest first within it (at least
 * one), then every word; each in the question's order, without repeats. Just
 * every word when the table has no statistics.
 */
export const matchingWordSets = async (sql: SqlClient, words: readonly string[], keys: ContentKeys): Promise<string[][]> => {
  if (words.length <= 1) return [[...words]];
  const stats = await termStats(sql);
  if (!stats) return [[...words]];
  const [byWord, scale] = await Promise.all([lexemes(sql, words), tenantScale(sql, keys.tenantId)]);
  // A word's share: its most common lexeme's (a word to_tsquery drops entirely matches nothing: 0).
  const shareOf = (l: string) => Math.min(1, (stats.shares.get(blindToken(keys, l)) ?? stats.floor) * scale);
  return wordSetsByShare(words, (w) => Math.max(0, ...byWord.get(w)!.map(shareOf)));
};

const scales = new LRUCache<string, Promise<number>>({ max: 10_000, ttl: TERM_STATS_TTL_MS });

/** The table's passages per passage of this workspace (≥ 1): how much a table-wide share understates the workspace's. */
const tenantScale = (sql: SqlClient, tenantId: string): Promise<number> => {
  const cached = scales.get(tenantId);
  if (cached) return cached;
  const scale = sql
    .$queryRaw<{ total: number; own: number }[]>`
      SELECT greatest(c.reltuples, 1)::float8 AS total, (SELECT count(*) FROM "DocumentChunk" WHERE "tenantId" = ${tenantId})::float8 AS own
      FROM pg_class c WHERE c.oid = '"DocumentChunk"'::regclass`
    .then(([r]) => (r && r.own > 0 ? Math.max(1, Number(r.total) / Number(r.own)) : 1))
    .catch(() => 1);
  scales.set(tenantId, scale);
  return scale;
};

/** matchingWordSets' choice, given each word's share of passages. */
export const wordSetsByShare = (words: readonly string[], shareOf: (word: string) => number): string[][] => {
  const rarestFirst = [...words].sort((a, b) => shareOf(a) - shareOf(b));
  const within = (bound: number) => {
    const kept = new Set<string>();
    let covered = 0;
    for (const w of rarestFirst) {
      if (kept.size > 0 && covered + shareOf(w) > bound) break;
      kept.add(w);
      covered += shareOf(w);
    }
    return words.filter((w) => kept.has(w));
  };
  const sets = [...CANDIDATE_SHARE_STEPS.map(within), [...words]];
  return sets.filter((set, i) => i === 0 || set.length > sets[i - 1]!.length);
};
