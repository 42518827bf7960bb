import { Parser } from "htmlparser2";
import { KnowledgeError } from "../errors";
import type { ExtractedDocument, ExtractLimits } from "./types";
import { DocumentBuilder, collapseSpaces } from "./text";
import { ZipReader } from "./zip";

// DOCX = a zip (read with our bounded reader, see zip.ts) holding WordprocessingML.
// word/document.xml is inflated in small steps and fed straight into a
// streaming XML parser, so neither the XML nor a decompression bomb is ever
// held in memory whole. htmlparser2 in xmlMode does no DTD processing: it
// never resolves external entities nor expands user-defined ones (no XXE,
// no billion laughs); only the five XML entities and numeric references decode.
//
// Structure kept: paragraphs; headings from paragraph styles (Heading1..6,
// Title, or any style whose name is "heading N"/"title" in word/styles.xml,
// so localised style ids work) or an outline level; tables as one block per
// table, one line per row, cells separated by " | ".
//
// Page numbers are an approximation: DOCX has no pages, only layout hints.
// We count explicit page breaks (<w:br w:type="page"/>, pageBreakBefore) and
// the breaks Word records where it last rendered a page
// (<w:lastRenderedPageBreak/>); a break with no text since the previous one is
// not counted twice (Word often writes both for one break). A document with
// no page markers at all (e.g. generated, never opened in Word) gets
// page = null rather than a misleading "page 1" everywhere.

const STYLE_HEADING = /^(?:heading|berschrift|titre|titolo|título|titulo|kop|rubrik|overskrift|otsikko|nagłówek)\s*([1-6])$/i;

type HeadingInfo = { level: number } | null;

/** Attribute lookup tolerant of the namespace prefix (w:val, val). */
const attr = (attrs: Record<string, string>, local: string): string | undefined => {
  for (const k in attrs) if (k === local || k.endsWith(`:${local}`)) return attrs[k];
  return undefined;
};

const localName = (name: string) => name.slice(name.indexOf(":") + 1);

function headingFromStyleName(name: string): HeadingInfo {
  const n = name.trim().toLowerCase();
  if (n === "title") return { level: 0 };
  const m = /^heading\s*([1-6])$/.exec(n) ?? STYLE_HEADING.exec(n);
  return m ? { level: Number(m[1]) } : null;
}

/** styleId → heading level, from word/styles.xml (style ids are localised; names are not). */
function readHeadingStyles(zip: ZipReader): Map<string, number> {
  const map = new Map<string, number>();
  const entry = zip.find("word/styles.xml");
  if (!entry) return map;
  let styleId: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const ln = localName(name);
        if (ln === "style") styleId = attr(attrs, "styleId") ?? null;
        else if (styleId && ln === "name") {
          const h = headingFromStyleName(attr(attrs, "val") ?? "");
          if (h) map.set(styleId, h.level);
        } else if (styleId && ln === "outlineLvl" && !map.has(styleId)) {
          const lvl = Number(attr(attrs, "val"));
          if (lvl >= 0 && lvl <= 5) map.set(styleId, lvl + 1);
        }
      },
      onclosetag(name) {
        if (localName(name) === "style") styleId = null;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  const decoder = new TextDecoder();
  zip.read(entry, (chunk) => parser.write(decoder.decode(chunk, { stream: true })));
  parser.end();
  return map;
}

function readCoreTitle(zip: ZipReader): string | null {
  const entry = zip.find("docProps/core.xml");
  if (!entry) return null;
  let inTitle = false;
  let title = "";
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "dc:title" || localName(name) === "title") inTitle = true;
      },
      ontext(t) {
        if (inTitle) title += t;
      },
      onclosetag() {
        inTitle = false;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(new TextDecoder().decode(zip.readAll(entry)));
  parser.end();
  return collapseSpaces(title) || null;
}

type Para = { text: string; styleLevel: number | null; outlineLevel: number | null };
type Table = { rows: string[][]; row: string[] | null; cell: string[] | null; page: number };

/** Tags whose content is skipped: deleted text, field instructions, or a duplicate mc:Fallback. */
const isSkippedTag = (name: string, ln: string) => ln === "delText" || ln === "instrText" || name === "mc:Fallback";

/**
 * Streaming reader for word/document.xml: fed htmlparser2 events, it adds
 * paragraph and table blocks to the DocumentBuilder and tracks pages and headings.
 */
class DocxBodyReader {
  // Blocks are collected with a provisional page number; if the document
  // turns out to have no page markers at all, pages are reported as null.
  page = 1;
  sawPageMarker = false;
  firstTitle: string | null = null;
  private textSinceBreak = false;
  private heading: string | null = null;
  // Paragraph stack: text boxes nest paragraphs inside a paragraph's runs.
  private readonly paras: Para[] = [];
  // Table stack: rows of cells; a nested table's text flattens into its outer cell.
  private readonly tables: Table[] = [];
  private inText = false; // inside <w:t>
  private skipDepth = 0; // inside deleted text, field instructions, or a duplicate mc:Fallback
  private readonly doc: DocumentBuilder;
  private readonly headingStyles: Map<string, number>;

  constructor(doc: DocumentBuilder, headingStyles: Map<string, number>) {
    this.doc = doc;
    this.headingStyles = headingStyles;
  }

  openTag(name: string, attrs: Record<string, string>): void {
    const ln = localName(name);
    // mc:Fallback is skipped because mc:Choice already holds the same content.
    if (isSkippedTag(name, ln)) this.skipDepth++;
    else if (!this.skipDepth) this.openBodyTag(ln, attrs);
  }

  private openBodyTag(ln: string, attrs: Record<string, string>): void {
    const cur = this.paras.at(-1);
    switch (ln) {
      case "p":
        this.paras.push({ text: "", styleLevel: null, outlineLevel: null });
        return;
      case "pStyle": {
        const id = attr(attrs, "val") ?? "";
        if (cur) cur.styleLevel = this.headingStyles.get(id) ?? headingFromStyleName(id.replace(/(\D)(\d)$/, "$1 $2"))?.level ?? null;
        return;
      }
      case "outlineLvl": {
        const lvl = Number(attr(attrs, "val"));
        if (cur && lvl >= 0 && lvl <= 5) cur.outlineLevel = lvl + 1;
        return;
      }
      case "pageBreakBefore": {
        const v = attr(attrs, "val");
        if (v !== "0" && v !== "false") this.pageBreak();
        return;
      }
      case "t":
        this.inText = true;
        return;
      case "tab":
        if (cur && !attrs["w:val"]) cur.text += " ";
        return;
      case "br":
      case "cr":
        if (attr(attrs, "type") === "page") this.pageBreak();
        else if (cur) cur.text += "\n";
        return;
      case "lastRenderedPageBreak":
        this.pageBreak();
        return;
      case "noBreakHyphen":
        if (cur) cur.text += "-";
        return;
      default:
        this.openTableTag(ln);
    }
  }

  private openTableTag(ln: string): void {
    const t = this.tables.at(-1);
    if (ln === "tbl") this.tables.push({ rows: [], row: null, cell: null, page: this.page });
    else if (ln === "tr" && t) t.row = [];
    else if (ln === "tc" && t) t.cell = [];
  }

  text(text: string): void {
    if (this.skipDepth || !this.inText) return;
    const cur = this.paras.at(-1);
    if (!cur) return;
    cur.text += text;
    if (text.trim()) this.textSinceBreak = true;
  }

  closeTag(name: string): void {
    const ln = localName(name);
    if (this.skipDepth) {
      if (isSkippedTag(name, ln)) this.skipDepth--;
      return;
    }
    const t = this.tables.at(-1);
    switch (ln) {
      case "t":
        this.inText = false;
        return;
      case "p": {
        const p = this.paras.pop();
        if (p) this.closeParagraph(p);
        return;
      }
      case "tc":
        if (t?.cell && t.row) t.row.push(t.cell.join(" "));
        if (t) t.cell = null;
        return;
      case "tr":
        if (t?.row && t.row.some((c) => c.trim())) t.rows.push(t.row);
        if (t) t.row = null;
        return;
      case "tbl":
        this.closeTable();
        return;
    }
  }

  private pageBreak(): void {
    this.sawPageMarker = true;
    if (!this.textSinceBreak) return;
    // A paragraph split by a break: its text so far belongs to the earlier page.
    const cur = this.paras.at(-1);
    if (cur && cur.text.trim() && this.tables.length === 0) {
      this.doc.add(cur.text, this.page, this.heading);
      cur.text = "";
    }
    this.page++;
    this.textSinceBreak = false;
  }

  private closeParagraph(p: Para): void {
    const text = p.text.replace(/[ \t]+/g, " ").trim();
    if (!text) return;
    const table = this.tables.at(-1);
    if (table?.cell) {
      table.cell.push(text);
      return;
    }
    const level = p.outlineLevel ?? p.styleLevel;
    if (level !== null) {
      this.heading = collapseSpaces(text);
      if (level === 0 && !this.firstTitle) this.firstTitle = this.heading;
    }
    this.doc.add(text, this.page, this.heading);
  }

  private closeTable(): void {
    const t = this.tables.pop();
    if (!t) return;
    const text = t.rows.map((r) => r.join(" | ")).join("\n");
    const outer = this.tables.at(-1);
    // A nested table is part of its outer cell's text.
    if (outer?.cell) outer.cell.push(text.replace(/\n/g, " "));
    else this.doc.add(text, t.page, this.heading);
  }
}

export function extractDocx(bytes: Uint8Array, limits: ExtractLimits): ExtractedDocument {
  const zip = ZipReader.open(bytes, limits);
  const main = zip.find("word/document.xml");
  if (!main || !zip.find("[Content_Types].xml")) throw new KnowledgeError("malformedFile", "not a Word document (word/document.xml missing)");

  const headingStyles = readHeadingStyles(zip);
  const doc = new DocumentBuilder(limits);
  try {
    doc.title = readCoreTitle(zip);
  } catch (err) {
    if (err instanceof KnowledgeError && err.reason !== "malformedFile") throw err;
  }

  const reader = new DocxBodyReader(doc, headingStyles);
  const parser = new Parser(
    {
      onopentag: (name, attrs) => reader.openTag(name, attrs),
      ontext: (text) => reader.text(text),
      onclosetag: (name) => reader.closeTag(name),
    },
    { xmlMode: true, decodeEntities: true },
  );

  const decoder = new TextDecoder();
  try {
    zip.read(main, (chunk) => parser.write(decoder.decode(chunk, { stream: true })));
    parser.write(decoder.decode());
    parser.end();
  } catch (err) {
    if (err instanceof KnowledgeError) throw err;
    throw new KnowledgeError("malformedFile", "word/document.xml could not be parsed", { cause: err });
  }

  doc.title ??= reader.firstTitle;
  if (!reader.sawPageMarker) for (const b of doc.blocks) b.page = null;
  return doc.build(reader.sawPageMarker ? reader.page : null);
}
