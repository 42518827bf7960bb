import { describe, expect, test } from "vitest";
import { makeDocx, makePdf } from "../../../../../tests/support/sample-files";
import { chunkDocument, documentText, extractDocument, type DocumentChunk, type ExtractedDocument } from "./index";

/** Deterministic prose: numbered sentences of varying length. */
function prose(sentences: number, seed: number): string {
  const words = ["revenue", "margin", "customer", "policy", "quarter", "growth", "hiring", "budget", "office", "contract", "supplier", "risk"];
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const n = 6 + ((i * 7 + seed) % 14);
    const s = Array.from({ length: n }, (_, j) => words[(i * 5 + j * 3 + seed) % words.length]).join(" ");
    out.push(`Sentence ${seed}.${i} says ${s}.`);
  }
  return out.join(" ");
}

function makeDoc(): ExtractedDocument {
  const blocks = [
    { page: 1, heading: "Overview", text: "Overview" },
    { page: 1, heading: "Overview", text: prose(40, 1) },
    { page: 1, heading: "Overview", text: prose(5, 2) },
    { page: 2, heading: "Overview", text: prose(30, 3) },
    { page: 2, heading: "Details", text: "Details" },
    { page: 2, heading: "Details", text: prose(12, 4) },
    { page: 3, heading: "Details", text: "Short closing line." },
  ];
  const text = blocks.map((b) => b.text).join("\n\n");
  return { blocks, pageCount: 3, charCount: text.length, title: null };
}

/** The blocks whose text overlaps [start, end) of the concatenated text. */
function blocksIn(doc: ExtractedDocument, start: number, end: number) {
  const out: ExtractedDocument["blocks"] = [];
  let off = 0;
  for (const b of doc.blocks) {
    if (off < end && off + b.text.length > start) out.push(b);
    off += b.text.length + 2;
  }
  return out;
}

function checkInvariants(doc: ExtractedDocument, chunks: DocumentChunk[], target: number) {
  const text = documentText(doc);
  expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
  for (const c of chunks) {
    // Offsets are consistent with the concatenated text.
    expect(text.slice(c.charStart, c.charEnd)).toBe(c.text);
    expect(c.text.trim()).toBe(c.text);
    expect(c.text.length).toBeLessThanOrEqual(target);
    // A chunk belongs to one page and one section.
    const within = blocksIn(doc, c.charStart, c.charEnd);
    expect(within.length).toBeGreaterThan(0);
    for (const b of within) {
      expect(b.page).toBe(c.page);
      expect(b.heading).toBe(c.heading);
    }
  }
  // Chunks are in document order and together cover every word of every block.
  for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.charStart).toBeGreaterThan(chunks[i - 1]!.charStart);
  const covered = new Uint8Array(text.length);
  for (const c of chunks) covered.fill(1, c.charStart, c.charEnd);
  for (let i = 0; i < text.length; i++) if (!/\s/.test(text[i]!)) expect(covered[i], `char ${i} uncovered`).toBe(1);
}

describe("chunkDocument", () => {
  test("invariants: offsets, one page and heading per chunk, order, coverage, size", () => {
    const doc = makeDoc();
    const chunks = chunkDocument(doc);
    expect(chunks.length).toBeGreaterThan(5);
    checkInvariants(doc, chunks, 1200);
    expect(chunks[0]!.heading).toBe("Overview");
    expect(chunks.at(-1)).toMatchObject({ page: 3, heading: "Details", text: "Short closing line." });
  });

  test("consecutive chunks of one section overlap by roughly the overlap, starting at a sentence or word", () => {
    const doc = makeDoc();
    const chunks = chunkDocument(doc, { targetChars: 600, overlapChars: 150 });
    checkInvariants(doc, chunks, 600);
    let overlaps = 0;
    for (let i = 1; i < chunks.length; i++) {
      const a = chunks[i - 1]!;
      const b = chunks[i]!;
      if (a.page !== b.page || a.heading !== b.heading) {
        expect(b.charStart).toBeGreaterThanOrEqual(a.charEnd); // never overlap across pages/sections
        continue;
      }
      const overlap = a.charEnd - b.charStart;
      expect(overlap).toBeGreaterThan(0);
      expect(overlap).toBeLessThanOrEqual(150);
      expect(a.text.endsWith(documentText(doc).slice(b.charStart, a.charEnd))).toBe(true);
      // Starts at a word boundary.
      expect(/\s/.test(documentText(doc)[b.charStart - 1] ?? " ")).toBe(true);
      overlaps++;
    }
    expect(overlaps).toBeGreaterThan(3);
  });

  test("cuts at sentence ends when a paragraph is longer than the target", () => {
    const doc = makeDoc();
    const chunks = chunkDocument(doc, { targetChars: 500, overlapChars: 0 });
    checkInvariants(doc, chunks, 500);
    const inner = chunks.filter((c, i) => i + 1 < chunks.length && chunks[i + 1]!.page === c.page && chunks[i + 1]!.heading === c.heading);
    expect(inner.length).toBeGreaterThan(3);
    for (const c of inner) expect(c.text).toMatch(/[.!?]$/);
  });

  test("deterministic: same input, same chunks", () => {
    expect(chunkDocument(makeDoc())).toEqual(chunkDocument(makeDoc()));
    expect(JSON.stringify(chunkDocument(makeDoc(), { targetChars: 300, overlapChars: 40 }))).toBe(
      JSON.stringify(chunkDocument(makeDoc(), { targetChars: 300, overlapChars: 40 })),
    );
  });

  test("text without any boundary is still cut, covered and terminates", () => {
    const blob = "x".repeat(5000);
    const doc: ExtractedDocument = { blocks: [{ page: null, heading: null, text: blob }], pageCount: null, charCount: blob.length, title: null };
    const chunks = chunkDocument(doc, { targetChars: 1000, overlapChars: 100 });
    checkInvariants(doc, chunks, 1000);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
  });

  test("short documents give one chunk; empty documents none", () => {
    const doc: ExtractedDocument = { blocks: [{ page: null, heading: null, text: "Tiny." }], pageCount: null, charCount: 5, title: null };
    expect(chunkDocument(doc)).toEqual([{ ordinal: 0, text: "Tiny.", page: null, heading: null, charStart: 0, charEnd: 5 }]);
    expect(chunkDocument({ blocks: [], pageCount: null, charCount: 0, title: null })).toEqual([]);
  });

  test("end to end: a generated PDF and DOCX chunk by page and heading", async () => {
    const pdf = await extractDocument(await makePdf({ pages: [prose(3, 7), prose(3, 8)] }), "pdf");
    const pdfChunks = chunkDocument(pdf);
    expect(pdfChunks.map((c) => c.page)).toEqual([1, 2]);
    checkInvariants(pdf, pdfChunks, 1200);

    const docx = await extractDocument(
      makeDocx({ blocks: [{ heading: "Alpha", text: prose(4, 1) }, { heading: "Beta", text: prose(4, 2), pageBreakBefore: true }] }),
      "docx",
    );
    const docxChunks = chunkDocument(docx);
    expect(docxChunks.map((c) => [c.page, c.heading])).toEqual([
      [1, "Alpha"],
      [2, "Beta"],
    ]);
    expect(docxChunks[1]!.text.startsWith("Beta\n\nSentence 2.0")).toBe(true);
  });
});
