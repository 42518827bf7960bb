// What the palette's typed text becomes: words, each matched as a word prefix (through the
// blind prefix tokens of db/search-index.ts, the indexes of migration
// 20261207171106_prefix_blind_indexes), and the excerpt of a long text around its first match.

import { searchWords, WORD_PATTERN as WORD } from "~/lib/search";

export { searchWords };

/** Whether every word starts a word of `text` (the same rule as the tsquery, for rows filtered in memory). */
export const matchesAllWords = (text: string, words: readonly string[]): boolean => {
  const tokens = text.toLowerCase().match(WORD) ?? [];
  return words.every((w) => tokens.some((t) => t.startsWith(w)));
};

/**
 * At most `max` characters of `text` around the first word starting with one of `words`,
 * with "…" where it was cut; the start when nothing matches (a stemmed passage hit).
 */
export const excerptAround = (text: string, words: readonly string[], max = 160): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const lower = flat.toLowerCase();
  let at = -1;
  for (const m of lower.matchAll(WORD)) {
    if (words.some((w) => m[0].startsWith(w))) {
      at = m.index;
      break;
    }
  }
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - Math.floor(max / 3), flat.length - max));
  const end = Math.min(flat.length, start + max);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end).trim()}${end < flat.length ? "…" : ""}`;
};
