import { blindToken, type ContentKeys } from "@ocsuite/crypto";
import { WORD_PATTERN } from "~/lib/search";
import { Prisma } from "./generated/client";

/*
 * Blind full-text indexes for sealed columns (ADR 0015). PostgreSQL still parses, stems and
 * positions the words (to_tsvector with the column's configuration, so ranking and phrase
 * distance work as before), but every lexeme is replaced by its HMAC under the workspace's
 * blind-index key before anything is stored: the table holds `'3f9a…':1A,4B …`, which matches a
 * query blinded the same way and says nothing of the words without the key. The plaintext is
 * sent to the server to be parsed, never stored (keep log_statement off in production, as the
 * self-hosting runbook says for every statement that carries content).
 *
 * A blind index reveals what any keyed exact-match index does: which rows share a word (within one
 * workspace) and how often a token occurs. It reveals nothing across workspaces (each has its
 * own key), and nothing at all once the workspace's keys are shredded.
 */

/** Words parsed by PostgreSQL (stemmed for 'english'): retrieval's ranked search, the message filter. */
export type TsvectorIndexSpec = {
  kind: "tsvector";
  /** The text column holding the blinded tsvector (a generated tsvector column may be built from it). */
  column: string;
  config: "english" | "simple";
  /** The sealed source fields, each with its tsvector weight, in order. */
  fields: readonly (readonly [field: string, weight: "A" | "B" | "C" | "D"])[];
  /** Keep positions and weights (ranking, phrases); false stores the distinct words only (a filter). */
  positions: boolean;
};

/**
 * Word prefixes, for the command palette and list filters that match as the user types ("q3 bud"
 * finds "Q3 budget"): every prefix of every word (~lib/search's words, at most MAX_PREFIX
 * characters) is a token, so a prefix query is an exact match on blinded tokens.
 */
export type PrefixIndexSpec = { kind: "prefixes"; column: string; fields: readonly string[] };

export type SearchIndexSpec = TsvectorIndexSpec | PrefixIndexSpec;

/** The sealed columns that are searched, per model. */
export const SEARCH_INDEXES: Readonly<Record<string, SearchIndexSpec>> = {
  DocumentChunk: { kind: "tsvector", column: "searchIndex", config: "english", fields: [["heading", "A"], ["text", "B"]], positions: true },
  // The conversation list's search: whole words, case-folded, in any of a conversation's messages.
  Message: { kind: "tsvector", column: "searchIndex", config: "simple", fields: [["content", "D"]], positions: false },
  // The command palette (services/search/sources.ts) and the lists' filters.
  Conversation: { kind: "prefixes", column: "searchIndex", fields: ["title"] },
  Meeting: { kind: "prefixes", column: "searchIndex", fields: ["title"] },
  MeetingOutcome: { kind: "prefixes", column: "searchIndex", fields: ["decision"] },
  ActionItem: { kind: "prefixes", column: "searchIndex", fields: ["description"] },
  Task: { kind: "prefixes", column: "searchIndex", fields: ["title"] },
  Document: { kind: "prefixes", column: "searchIndex", fields: ["title", "filename"] },
};

/** Longest prefix indexed per word: a longer typed word matches on its first MAX_PREFIX characters. */
export const MAX_PREFIX = 24;

const prefixToken = (keys: ContentKeys, prefix: string) => blindToken(keys, `p:${prefix.slice(0, MAX_PREFIX)}`);

/** The blinded prefix tokens of texts, as tsvector text ('t1' 't2' …, no positions). */
export const prefixIndex = (keys: ContentKeys, texts: readonly (string | null | undefined)[]): string => {
  const tokens = new Set<string>();
  for (const text of texts)
    for (const word of (text ?? "").toLowerCase().match(WORD_PATTERN) ?? [])
      for (let n = 1; n <= Math.min(word.length, MAX_PREFIX); n++) tokens.add(prefixToken(keys, word.slice(0, n)));
  return [...tokens].map((t) => `'${t}'`).join(" ");
};

/** The blinded prefix token of each word (a list filter: every token must be in the row's searchIndex). */
export const prefixTokens = (keys: ContentKeys, words: readonly string[]): string[] => words.map((w) => `'${prefixToken(keys, w)}'`);

/** A tsquery (text) that every one of `words` (~lib/search's searchWords) starts a word: the blinded `'w1':* & 'w2':*`. */
export const prefixTsquery = (keys: ContentKeys, words: readonly string[]): string | null =>
  words.length > 0 ? words.map((w) => `'${prefixToken(keys, w)}'`).join(" & ") : null;

// A lexeme in tsvector / tsquery text output: single-quoted, quotes doubled, backslashes escaped.
const QUOTED_LEXEME = /'((?:[^'\\]|''|\\.)*)'/g;

/** A tsvector's or tsquery's text output with every lexeme replaced by its blind token. */
export const blindTsText = (keys: ContentKeys, text: string): string =>
  text.replace(QUOTED_LEXEME, (_m, lexeme: string) => `'${blindToken(keys, lexeme.replace(/''/g, "'").replace(/\\(.)/g, "$1"))}'`);

type RawSql = { $queryRaw: <T>(query: Prisma.Sql) => Prisma.PrismaPromise<T> };

/** The (unblinded) tsvector text of each row, weighted per the spec, computed by PostgreSQL in one statement. */
export const tsvectorTexts = async (sql: RawSql, spec: TsvectorIndexSpec, rows: readonly Record<string, unknown>[]): Promise<string[]> => {
  if (rows.length === 0) return [];
  const columns = spec.fields.map(([field]) => rows.map((r) => (typeof r[field] === "string" ? (r[field] as string) : null)));
  const config = Prisma.raw(`'${spec.config}'::regconfig`);
  const vector = Prisma.join(
    spec.fields.map(([, weight], i) => Prisma.sql`setweight(to_tsvector(${config}, coalesce(${Prisma.raw(`u.f${i}`)}, '')), ${Prisma.raw(`'${weight}'`)})`),
    " || ",
  );
  const arrays = Prisma.join(columns.map((values) => Prisma.sql`${values}::text[]`));
  const names = Prisma.raw(spec.fields.map((_, i) => `f${i}`).join(", "));
  const value = spec.positions ? Prisma.sql`(${vector})` : Prisma.sql`strip(${vector})`;
  const out = await sql.$queryRaw<{ v: string }[]>(Prisma.sql`SELECT ${value}::text AS v FROM unnest(${arrays}) WITH ORDINALITY AS u(${names}, i) ORDER BY u.i`);
  return out.map((r) => r.v);
};

/** The blinded tsquery text of a to_tsquery(config, query) (its lexemes replaced by the tenant's tokens). */
export const blindTsquery = async (sql: RawSql, keys: ContentKeys, config: TsvectorIndexSpec["config"], queries: readonly string[]): Promise<string[]> => {
  const rows = await sql.$queryRaw<{ q: string }[]>(
    Prisma.sql`SELECT to_tsquery(${Prisma.raw(`'${config}'::regconfig`)}, u.q)::text AS q FROM unnest(${queries}::text[]) WITH ORDINALITY AS u(q, i) ORDER BY u.i`,
  );
  return rows.map((r) => blindTsText(keys, r.q));
};
