// The command palette's search result types, shared by the search service (which
// returns them in this order) and the palette (which groups and labels them).

export const SEARCH_KINDS = ["conversation", "meeting", "decision", "actionItem", "task", "document", "passage", "persona", "member"] as const;
export type TSearchKind = (typeof SEARCH_KINDS)[number];

/** What selecting a hit opens (the palette turns it into a workspace path). */
export const SEARCH_TARGETS = ["conversation", "meeting", "task", "document", "persona", "members"] as const;
export type TSearchTarget = (typeof SEARCH_TARGETS)[number];

/** Longest query the search accepts. */
export const MAX_SEARCH_QUERY = 200;

const MAX_WORDS = 6;
const MAX_WORD_CHARS = 64;
/** A word of a query or of a searched text: letters and digits of any script. */
export const WORD_PATTERN = /[\p{L}\p{N}]+/gu;

/**
 * The query's distinct words, lower-cased: what the server matches as word
 * prefixes and what the palette highlights. Letters and digits only, so each
 * is safe inside a tsquery or a regular expression.
 */
export const searchWords = (query: string): string[] =>
  [...new Set((query.slice(0, MAX_SEARCH_QUERY).toLowerCase().match(WORD_PATTERN) ?? []).map((w) => w.slice(0, MAX_WORD_CHARS)))].slice(0, MAX_WORDS);
