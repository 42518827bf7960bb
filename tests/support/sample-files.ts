// Generators of REAL sample files for knowledge tests, e2e and perf: a PDF
// written by pdf-lib, a DOCX zipped by fflate, HTML/CSV/Markdown/text as
// bytes, plus hostile files (zip bombs, encrypted and truncated PDFs).
// Everything is built in memory, deterministically, in milliseconds.
import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import { strToU8, zipSync, type Zippable } from "fflate";

const enc = new TextEncoder();
const u8 = (s: string) => enc.encode(s);

/** The first `n` bytes of `bytes` (a cut-off upload). */
export const truncate = (bytes: Uint8Array, n: number): Uint8Array => bytes.slice(0, Math.max(0, n));

// ---------------------------------------------------------------- PDF

/**
 * A PDF with one page per entry of `pages`, each page showing that text
 * (word-wrapped, Helvetica, WinAnsi characters only). Blank lines in a page's
 * text become paragraph gaps. An empty string gives a page with a drawn
 * rectangle and no text layer (like a scan).
 */
export async function makePdf(opts: { pages: string[]; title?: string }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Fixed dates: the same input gives the same bytes.
  pdf.setCreationDate(new Date("2024-01-01T00:00:00Z"));
  pdf.setModificationDate(new Date("2024-01-01T00:00:00Z"));
  if (opts.title) pdf.setTitle(opts.title);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const size = 11;
  const lineHeight = 14;
  for (const text of opts.pages) {
    const page = pdf.addPage([595, 842]); // A4
    if (!text) {
      page.drawRectangle({ x: 50, y: 600, width: 200, height: 150, color: rgb(0.6, 0.6, 0.6) });
      continue;
    }
    let y = 842 - 60;
    for (const para of text.split(/\n\s*\n/)) {
      for (const line of wrap(para.replace(/\s+/g, " ").trim(), (s) => font.widthOfTextAtSize(s, size), 595 - 100)) {
        if (y < 40) break; // keep samples to a page each; tests use short texts
        page.drawText(line, { x: 50, y, size, font });
        y -= lineHeight;
      }
      y -= lineHeight;
    }
  }
  return pdf.save({ useObjectStreams: false });
}

function wrap(text: string, width: (s: string) => number, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && width(next) > max) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A small PDF handwritten with its own cross-reference table; `trailerExtra` is spliced into the trailer. */
function handwrittenPdf(pageText: string, trailerExtra = ""): Uint8Array {
  const stream = `BT /F1 12 Tf 50 700 Td (${pageText.replace(/[()\\]/g, "\\$&")}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/**
 * A password-protected PDF: standard security handler whose user password is
 * not empty (its /U entry does not match the empty password), so no reader
 * can open it without the password.
 */
export function makeEncryptedPdf(): Uint8Array {
  const hex32 = (seed: number) => Array.from({ length: 32 }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, "0")).join("");
  const encrypt = `/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <${hex32(11)}> /U <${hex32(97)}> >> /ID [<${hex32(5).slice(0, 32)}> <${hex32(5).slice(0, 32)}>] `;
  return handwrittenPdf("Secret text", encrypt);
}

// ---------------------------------------------------------------- DOCX

export type DocxBlock = { heading?: string; text: string; pageBreakBefore?: boolean; table?: string[][] };

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const para = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ""}<w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;

function docxBody(blocks: DocxBlock[]): string {
  let body = "";
  for (const b of blocks) {
    if (b.pageBreakBefore) body += `<w:p><w:r><w:br w:type="page"/></w:r></w:p>`;
    if (b.heading) body += para(b.heading, "Heading1");
    for (const p of b.text.split(/\n\s*\n/)) if (p.trim()) body += para(p.trim());
    if (b.table) {
      body += `<w:tbl><w:tblPr/>${b.table
        .map((row) => `<w:tr>${row.map((cell) => `<w:tc><w:tcPr/>${para(cell)}</w:tc>`).join("")}</w:tr>`)
        .join("")}</w:tbl>`;
    }
  }
  return body;
}

export const documentXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr/></w:body></w:document>`;

/** A minimal valid DOCX: [Content_Types].xml, _rels/.rels, word/document.xml (+ `extra` entries). */
export function makeDocx(opts: { blocks: DocxBlock[]; extra?: Record<string, Uint8Array>; documentXml?: string }): Uint8Array {
  const files: Zippable = {
    "[Content_Types].xml": strToU8(CONTENT_TYPES),
    "_rels/.rels": strToU8(ROOT_RELS),
    "word/document.xml": strToU8(opts.documentXml ?? documentXml(docxBody(opts.blocks))),
    ...opts.extra,
  };
  // Fixed mtime keeps the bytes deterministic.
  return zipSync(files, { level: 6, mtime: new Date("2024-01-01T00:00:00Z") });
}

/** A DOCX-looking zip with `entries` tiny extra entries (for the entry-count limit). */
export function makeDocxWithEntries(entries: number): Uint8Array {
  const extra: Record<string, Uint8Array> = {};
  for (let i = 0; i < entries; i++) extra[`word/media/f${i}.xml`] = strToU8("<x/>");
  return makeDocx({ blocks: [{ text: "Many entries" }], extra });
}

/** Any non-DOCX zip (e.g. a zipped folder of notes). */
export function makeOtherZip(): Uint8Array {
  return zipSync({ "notes/readme.txt": strToU8("hello"), "notes/data.json": strToU8("{}") }, { mtime: new Date("2024-01-01T00:00:00Z") });
}

// ---------------------------------------------------------------- zip bomb

/**
 * Raw DEFLATE data that inflates to `1 + 258 * k` zero bytes (≥ `bytes`),
 * written directly with fixed Huffman codes (one literal 0, then matches of
 * length 258 at distance 1): no large buffer is ever allocated, and 200 MB of
 * output costs ~1.3 MB and a few milliseconds to produce.
 */
export function deflateZeros(bytes: number): { data: Uint8Array; inflatedSize: number } {
  const k = Math.max(1, Math.ceil((bytes - 1) / 258));
  const totalBits = 3 + 8 + k * 13 + 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let bit = 0;
  const put = (value: number, len: number) => {
    for (let i = 0; i < len; i++, bit++) if ((value >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const rev = (code: number, len: number) => {
    let r = 0;
    for (let i = 0; i < len; i++) r |= ((code >> i) & 1) << (len - 1 - i);
    return r;
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE = 01, fixed Huffman
  put(rev(0x30, 8), 8); // literal 0
  const len258 = rev(0xc5, 8); // length symbol 285 = 258, no extra bits
  for (let i = 0; i < k; i++) {
    put(len258, 8);
    put(0, 5); // distance symbol 0 = distance 1
  }
  put(0, 7); // end of block (256)
  return { data: out, inflatedSize: 1 + 258 * k };
}

type RawZipEntry = { name: string; data: Uint8Array; method: 0 | 8; declaredSize: number; crc?: number };

/** A zip written by hand, so that declared sizes can lie. CRCs are not checked by our reader and are left 0 unless given. */
export function buildRawZip(entries: RawZipEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = u8(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc ?? 0, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.declaredSize, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc ?? 0, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.declaredSize, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, e.data);
    central.push(cd);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of all) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A DOCX-looking zip whose word/document.xml inflates to `inflatedBytes`
 * (default 200 MB) of zeros from ~1/160 of that. With `declare: "lie"` (the
 * default) its headers claim a tiny size, so only counting the actual inflated
 * bytes catches it; with "honest" the headers tell the truth; a number is
 * declared as is.
 */
export function makeZipBomb(opts: { inflatedBytes?: number; declare?: "lie" | "honest" | number } = {}): Uint8Array {
  const { data, inflatedSize } = deflateZeros(opts.inflatedBytes ?? 200 * 1024 * 1024);
  const small = (s: string) => ({ name: s, data: u8(s === "[Content_Types].xml" ? CONTENT_TYPES : ROOT_RELS), method: 0 as const });
  const ct = small("[Content_Types].xml");
  const rels = small("_rels/.rels");
  return buildRawZip([
    { ...ct, declaredSize: ct.data.length },
    { ...rels, declaredSize: rels.data.length },
    { name: "word/document.xml", data, method: 8, declaredSize: opts.declare === "honest" ? inflatedSize : typeof opts.declare === "number" ? opts.declare : 4096 },
  ]);
}

// ---------------------------------------------------------------- HTML, CSV, Markdown, text

export type Section = { heading: string; text: string };

/**
 * An HTML page with a <title> and one <h2> section per entry. With `hostile`
 * (default true) it is laced with scripts everywhere a browser would run one:
 * <script> blocks, event handlers, javascript: URLs, an iframe, an SVG script,
 * noscript, style and a template — none of whose content may reach the text.
 */
export function makeHtml(opts: { title?: string; sections: Section[]; hostile?: boolean }): Uint8Array {
  const hostile = opts.hostile ?? true;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const evil = hostile
    ? {
        head: `<script>alert("head-script")</script><style>body{background:url("javascript:alert('css')")}</style>`,
        body: `<script type="text/javascript">document.write("<p>injected</p>");alert("body-script")</script>
<noscript>noscript-text alert("noscript")</noscript>
<template><p>template-text</p><script>alert("template")</script></template>
<iframe src="javascript:alert('iframe')">iframe-text</iframe>
<svg><script>alert("svg-script")</script><text>svg-text</text></svg>
<object data="x.swf">object-text</object>
<!-- comment-text <script>alert("comment")</script> -->`,
        handler: ` onclick="alert('handler')" onmouseover="alert('hover')"`,
        link: ` <a href="javascript:alert('link')">safe link text</a>`,
      }
    : { head: "", body: "", handler: "", link: "" };
  const sections = opts.sections
    .map((s) => `<section><h2${evil.handler}>${esc(s.heading)}</h2>\n<p${evil.handler}>${esc(s.text)}${evil.link}</p></section>`)
    .join("\n");
  return u8(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(opts.title ?? "Sample page")}</title>${evil.head}</head>
<body${hostile ? ` onload="alert('onload')"` : ""}>
${evil.body}
<main>
${sections}
</main>
${hostile ? `<script src="https://evil.example/x.js"></script><img src=x onerror="alert('img')">` : ""}
</body></html>
`);
}

/** RFC 4180 CSV (fields quoted when they contain the delimiter, a quote or a newline). */
export function makeCsv(opts: { header: string[]; rows: string[][]; delimiter?: "," | ";" | "\t" }): Uint8Array {
  const d = opts.delimiter ?? ",";
  const field = (v: string) => (v.includes(d) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return u8([opts.header, ...opts.rows].map((r) => r.map(field).join(d)).join("\r\n") + "\r\n");
}

/** Markdown: an optional `# title`, then one `## heading` section per entry. */
export function makeMarkdown(opts: { title?: string; sections: Section[] }): Uint8Array {
  const parts: string[] = [];
  if (opts.title) parts.push(`# ${opts.title}`);
  for (const s of opts.sections) parts.push(`## ${s.heading}`, s.text);
  return u8(parts.join("\n\n") + "\n");
}

/** Plain text: paragraphs separated by blank lines. */
export function makeText(paragraphs: string[]): Uint8Array {
  return u8(paragraphs.join("\n\n") + "\n");
}

// ---------------------------------------------------------------- other binaries

export const PNG_BYTES = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
  0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

/** The start of an ELF executable (header + padding). */
export const ELF_BYTES = (() => {
  const b = new Uint8Array(128);
  b.set([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
  b.set([0x02, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00], 16);
  return b;
})();

/** Deterministic pseudo-random bytes (xorshift), e.g. an encrypted blob. */
export function randomBytes(n: number, seed = 42): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
