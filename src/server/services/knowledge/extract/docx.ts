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

  // Blocks are collected with a provisional page number; if the document
  // turns out to have no page markers at all, pages are reported as null.
  let page = 1;
  let sawPageMarker = false;
  let textSinceBreak = false;
  let heading: string | null = null;
  let firstTitle: string | null = null;

  // Paragraph stack: text boxes nest paragraphs inside a paragraph's runs.
  const paras: Para[] = [];
  // Table stack: rows of cells; a nested table's text flattens into its outer cell.
  const tables: { rows: string[][]; row: string[] | null; cell: string[] | null; page: number }[] = [];
  let inText = false; // inside <w:t>
  let skipDepth = 0; // inside deleted text, field instructions, or a duplicate mc:Fallback

  const emit = (text: string, p: number, h: string | null) => doc.add(text, p, h);

  const pageBreak = () => {
    sawPageMarker = true;
    if (!textSinceBreak) return;
    // A paragraph split by a break: its text so far belongs to the earlier page.
    const cur = paras.at(-1);
    if (cur && cur.text.trim() && tables.length === 0) {
      emit(cur.text, page, heading);
      cur.text = "";
    }
    page++;
    textSinceBreak = false;
  };

  const closeParagraph = (p: Para) => {
    const text = p.text.replace(/[ \t]+/g, " ").trim();
    if (!text) return;
    const table = tables.at(-1);
    if (table?.cell) {
      table.cell.push(text);
      return;
    }
    const level = p.outlineLevel ?? p.styleLevel;
    if (level !== null) {
      heading = collapseSpaces(text);
      if (level === 0 && !firstTitle) firstTitle = heading;
      emit(text, page, heading);
    } else {
      emit(text, page, heading);
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const ln = localName(name);
        if (skipDepth) {
          if (ln === "delText" || ln === "instrText" || name === "mc:Fallback") skipDepth++;
          return;
        }
        switch (ln) {
          case "delText":
          case "instrText":
            skipDepth++;
            return;
          case "p":
            paras.push({ text: "", styleLevel: null, outlineLevel: null });
            return;
          case "pStyle": {
            const cur = paras.at(-1);
            const id = attr(attrs, "val") ?? "";
            if (cur) cur.styleLevel = headingStyles.get(id) ?? headingFromStyleName(id.replace(/(\D)(\d)$/, "$1 $2"))?.level ?? null;
            return;
          }
          case "outlineLvl": {
            const cur = paras.at(-1);
            const lvl = Number(attr(attrs, "val"));
            if (cur && lvl >= 0 && lvl <= 5) cur.outlineLevel = lvl + 1;
            return;
          }
          case "pageBreakBefore": {
            const v = attr(attrs, "val");
            if (v !== "0" && v !== "false") pageBreak();
            return;
          }
          case "t":
            inText = true;
            return;
          case "tab":
            if (paras.at(-1) && !attrs["w:val"]) paras.at(-1)!.text += " ";
            return;
          case "br":
          case "cr": {
            const type = attr(attrs, "type");
            if (type === "page") pageBreak();
            else if (paras.at(-1)) paras.at(-1)!.text += "\n";
            return;
          }
          case "lastRenderedPageBreak":
            pageBreak();
            return;
          case "noBreakHyphen":
            if (paras.at(-1)) paras.at(-1)!.text += "-";
            return;
          case "tbl":
            tables.push({ rows: [], row: null, cell: null, page });
            return;
          case "tr": {
            const t = tables.at(-1);
            if (t) t.row = [];
            return;
          }
          case "tc": {
            const t = tables.at(-1);
            if (t) t.cell = [];
            return;
          }
        }
        if (name === "mc:Fallback") skipDepth++; // mc:Choice already holds the same content
      },
      ontext(text) {
        if (skipDepth || !inText) return;
        const cur = paras.at(-1);
        if (!cur) return;
        cur.text += text;
        if (text.trim()) textSinceBreak = true;
      },
      onclosetag(name) {
        const ln = localName(name);
        if (skipDepth) {
          if (ln === "delText" || ln === "instrText" || name === "mc:Fallback") skipDepth--;
          return;
        }
        switch (ln) {
          case "t":
            inText = false;
            return;
          case "p": {
            const p = paras.pop();
            if (p) closeParagraph(p);
            return;
          }
          case "tc": {
            const t = tables.at(-1);
            if (t?.cell && t.row) t.row.push(t.cell.join(" "));
            if (t) t.cell = null;
            return;
          }
          case "tr": {
            const t = tables.at(-1);
            if (t?.row && t.row.some((c) => c.trim())) t.rows.push(t.row);
            if (t) t.row = null;
            return;
          }
          case "tbl": {
            const t = tables.pop();
            if (!t) return;
            const text = t.rows.map((r) => r.join(" | ")).join("\n");
            const outer = tables.at(-1);
            // A nested table is part of its outer cell's text.
            if (outer?.cell) outer.cell.push(text.replace(/\n/g, " "));
            else emit(text, t.page, heading);
            return;
          }
        }
      },
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

  doc.title ??= firstTitle;
  if (!sawPageMarker) for (const b of doc.blocks) b.page = null;
  return doc.build(sawPageMarker ? page : null);
}
