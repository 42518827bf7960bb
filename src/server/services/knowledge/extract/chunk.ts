import type { DocumentChunk, ExtractedDocument } from "./types";
import { BLOCK_SEPARATOR } from "./text";

// Chunking for retrieval. Invariants (tested):
// - a chunk's text is exactly documentText(doc).slice(charStart, charEnd);
// - a chunk never spans two pages, nor two sections (headings): consecutive
//   blocks are grouped by (page, heading) and each group is split on its own,
//   so every chunk carries one page and its nearest heading;
// - inside a group, chunks aim at `targetChars`, cut at the latest paragraph,
//   then line, then sentence, then word boundary, and the next chunk starts
//   about `overlapChars` earlier, at a sentence or word start, so a passage
//   cut in two is still found whole in one of them;
// - ordinals are 0..n-1 in document order; the output depends on the input only.

export const DEFAULT_TARGET_CHARS = 1200;
export const DEFAULT_OVERLAP_CHARS = 150;

type Group = { start: number; end: number; page: number | null; heading: string | null };

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** Best cut in (min, max]: paragraph > line > sentence > word > hard cut. */
function findCut(text: string, min: number, max: number): number {
  const window = text.slice(min, max);
  const para = window.lastIndexOf("\n\n");
  if (para > 0) return min + para;
  const line = window.lastIndexOf("\n");
  if (line > 0) return min + line;
  const sentence = /[.!?…]["')\]]*\s/g;
  let lastSentence = -1;
  for (let m = sentence.exec(window); m; m = sentence.exec(window)) lastSentence = m.index + m[0].length - 1;
  if (lastSentence > 0) return min + lastSentence;
  for (let i = window.length - 1; i > 0; i--) if (isSpace(window[i])) return min + i;
  // No boundary at all: cut hard, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(max);
  return code >= 0xdc00 && code <= 0xdfff ? max - 1 : max;
}

/** Start of the overlap: the first sentence start, else word start, at or after `from`. */
function overlapStart(text: string, from: number, before: number): number {
  const window = text.slice(from, before);
  const sentence = /[.!?…]["')\]]*\s+(?=\S)/.exec(window);
  if (sentence) return from + sentence.index + sentence[0].length;
  const word = /\s+(?=\S)/.exec(window);
  if (word) return from + word.index + word[0].length;
  return from;
}

export function chunkDocument(
  doc: ExtractedDocument,
  opts: { targetChars?: number; overlapChars?: number } = {},
): DocumentChunk[] {
  const target = Math.max(50, Math.floor(opts.targetChars ?? DEFAULT_TARGET_CHARS));
  // Overlap below half the minimum chunk length guarantees progress.
  const overlap = Math.max(0, Math.min(Math.floor(opts.overlapChars ?? DEFAULT_OVERLAP_CHARS), Math.floor(target / 4)));
  const minChunk = Math.floor(target / 2);

  // Concatenated text and the (page, heading) groups of consecutive blocks.
  const text = doc.blocks.map((b) => b.text).join(BLOCK_SEPARATOR);
  const groups: Group[] = [];
  let offset = 0;
  for (const b of doc.blocks) {
    const start = offset;
    const end = start + b.text.length;
    offset = end + BLOCK_SEPARATOR.length;
    const last = groups.at(-1);
    if (last && last.page === b.page && last.heading === b.heading) last.end = end;
    else groups.push({ start, end, page: b.page, heading: b.heading });
  }

  const chunks: DocumentChunk[] = [];
  const push = (start: number, end: number, g: Group) => {
    // Trim whitespace at the edges by moving the offsets, so text === slice(start, end) holds.
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
    if (end > start) chunks.push({ ordinal: chunks.length, text: text.slice(start, end), page: g.page, heading: g.heading, charStart: start, charEnd: end });
  };

  for (const g of groups) {
    let pos = g.start;
    while (g.end - pos > target) {
      const cut = findCut(text, pos + minChunk, pos + target);
      push(pos, cut, g);
      const next = overlap > 0 ? overlapStart(text, cut - overlap, cut) : cut;
      pos = next > pos ? next : cut;
    }
    push(pos, g.end, g);
  }
  return chunks;
}
