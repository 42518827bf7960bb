import type { ExtractedDocument, ExtractLimits } from "./types";
import { DocumentBuilder, collapseSpaces, decodeUtf8OrThrow, normalizeNewlines } from "./text";

// Markdown → blocks, line by line (no full CommonMark AST: we only need the
// text and the section structure). Headings (ATX `#` and setext) become block
// headings; code blocks are kept verbatim (code is content people search for);
// inline markup that only adds noise to search is stripped: emphasis markers,
// link/image URLs (their text is kept), inline HTML tags, table rules.

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TABLE_RULE = /^ {0,3}\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$/;
const LINK_DEF = /^ {0,3}\[[^\]]+\]:\s+\S+/;

/** Inline markup → plain text. */
export function stripInline(s: string): string {
  return (
    s
      .replace(/<!--[\s\S]*?-->/g, "")
      // Raw HTML: script/style bodies go entirely, other tags lose their brackets and attributes.
      .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, "")
      .replace(/<\/?[a-zA-Z][^>]*>/g, "")
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1") // images → alt text
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1") // links → link text
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1") // reference links
      .replace(/<(https?:\/\/[^>\s]+)>/g, "$1") // autolinks
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2")
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, "$1$2")
      .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w])/g, "$1$2")
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1")
      .replace(/`+([^`]+)`+/g, "$1")
      .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1") // backslash escapes
  );
}

function cleanLine(line: string): string {
  let l = line
    .replace(/^ {0,3}>[ \t]?/, "") // blockquote
    .replace(/^(\s*)(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]+/, "$1") // task list box
    .replace(/^(\s*)[-*+][ \t]+/, "$1• "); // bullets read better as bullets; numbers are content
  if (/^\s*\|.*\|\s*$/.test(l)) {
    l = l.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim()).join(" | ");
  }
  return stripInline(l).trimEnd();
}

export function extractMarkdown(bytes: Uint8Array, limits: ExtractLimits): ExtractedDocument {
  const raw = decodeUtf8OrThrow(bytes);
  const doc = new DocumentBuilder(limits);
  const lines = normalizeNewlines(raw).split("\n");
  let heading: string | null = null;
  let firstH1: string | null = null;
  let para: string[] = [];
  let i = 0;

  const flush = () => {
    const text = para.map(cleanLine).filter((l) => l.trim()).join("\n");
    para = [];
    doc.add(text, null, heading);
  };
  const setHeading = (text: string, level: number) => {
    flush();
    const h = collapseSpaces(stripInline(text));
    if (!h) return;
    heading = h;
    if (level === 1 && !firstH1) firstH1 = h;
    doc.add(h, null, h);
  };

  // YAML front matter: its `title:` is the document title; the rest is metadata, not content.
  if (lines[0]?.trim() === "---") {
    const end = lines.findIndex((l, idx) => idx > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) {
      const t = lines.slice(1, end).map((l) => /^title:\s*(.+)$/i.exec(l)?.[1]).find(Boolean);
      if (t) doc.title = t.replace(/^["']|["']$/g, "");
      i = end + 1;
    }
  }

  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1]!;
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(marker); i++) code.push(lines[i]!);
      doc.add(code.join("\n"), null, heading);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      setHeading(atx[2] ?? "", atx[1]!.length);
      continue;
    }
    // Setext heading: a paragraph's single line underlined by === or ---.
    if (para.length === 1 && SETEXT.test(line) && !/^\s*$/.test(para[0]!)) {
      const text = para[0]!;
      para = [];
      setHeading(text, line.trim().startsWith("=") ? 1 : 2);
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    if (RULE.test(line) || TABLE_RULE.test(line) || LINK_DEF.test(line)) continue;
    para.push(line);
  }
  flush();
  doc.title ??= firstH1;
  return doc.build(null);
}
