/*
 * Citation markers in an answer: the model cites the numbered passages it was
 * given as "[1]", "[1, 3]" or "[1][2]". These helpers find them in plain text
 * and, as a remark plugin, turn them into marker elements inside the safe
 * Markdown renderer (no raw HTML involved: the plugin builds the nodes itself).
 */

/** "[1]", "[1, 2]", "[1,2,3]": at most 20 numbers of 1–2 digits in one pair of brackets. */
const MARKER = /\[(\d{1,2}(?:\s*,\s*\d{1,2}){0,19})\]/g;

export type MarkerSegment = { type: "text"; value: string } | { type: "refs"; numbers: number[] };

/** The text cut into plain runs and marker groups, in order (concatenating the raw forms gives the text back). */
export const splitMarkers = (text: string): MarkerSegment[] => {
  const out: MarkerSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    if (m.index > last) out.push({ type: "text", value: text.slice(last, m.index) });
    out.push({ type: "refs", numbers: m[1]!.split(",").map((n) => Number(n.trim())) });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: "text", value: text.slice(last) });
  return out;
};

/** The numbers cited in the text, in order of first mention, without repeats. */
export const citedNumbers = (text: string): number[] => {
  const seen = new Set<number>();
  for (const s of splitMarkers(text)) if (s.type === "refs") for (const n of s.numbers) seen.add(n);
  return [...seen];
};

// ─── remark plugin ──────────────────────────────────────────────────────────
// Minimal mdast shapes (the plugin only reads type/value/children).

type MdNode = { type: string; value?: string; children?: MdNode[]; data?: Record<string, unknown> };

/** The element a marker becomes; safe-markdown.tsx renders it (a button when the number is a known source). */
export const CITATION_ELEMENT = "button";
export const CITATION_ATTRIBUTE = "data-citation";

const markerNode = (n: number): MdNode => ({
  type: "citationMarker",
  data: {
    hName: CITATION_ELEMENT,
    hProperties: { dataCitation: String(n), type: "button" },
    hChildren: [{ type: "text", value: `[${n}]` }],
  },
});

// Markers are not looked for in code, and not inside a link (a button must not sit in an anchor).
const SKIP = new Set(["code", "inlineCode", "link", "linkReference", "definition", "html"]);

const transform = (node: MdNode): void => {
  if (!node.children) return;
  const next: MdNode[] = [];
  for (const child of node.children) {
    if (SKIP.has(child.type)) {
      next.push(child);
      continue;
    }
    if (child.type === "text" && typeof child.value === "string" && child.value.includes("[")) {
      for (const s of splitMarkers(child.value)) {
        if (s.type === "text") next.push({ type: "text", value: s.value });
        else for (const n of s.numbers) next.push(markerNode(n));
      }
      continue;
    }
    transform(child);
    next.push(child);
  }
  node.children = next;
};

/** remark plugin: "[n]" markers in text become citation marker elements. */
export const remarkCitations = () => (tree: unknown) => {
  transform(tree as MdNode);
};
