import { describe, expect, test } from "vitest";
import { deflateSync } from "fflate";
import {
  buildRawZip,
  makeCsv,
  makeDocx,
  makeDocxWithEntries,
  makeEncryptedPdf,
  makeHtml,
  makeMarkdown,
  makePdf,
  makeText,
  makeZipBomb,
  truncate,
} from "../../../../../tests/support/sample-files";
import en from "~/i18n/messages/en.json";
import es from "~/i18n/messages/es.json";
import { KNOWLEDGE_ERROR_REASONS, KnowledgeError, type KnowledgeErrorReason } from "../errors";
import { DEFAULT_EXTRACT_LIMITS, detectKind, extractDocument, type DocumentKind, type ExtractLimits } from "./index";

const u8 = (s: string) => new TextEncoder().encode(s);

async function reasonOf(bytes: Uint8Array, kind: DocumentKind, limits?: Partial<ExtractLimits>): Promise<KnowledgeErrorReason | "ok"> {
  try {
    await extractDocument(bytes, kind, limits);
    return "ok";
  } catch (err) {
    if (err instanceof KnowledgeError) return err.reason;
    throw err;
  }
}

test("reasons are the contract's list and map to client-error HTTP statuses", () => {
  expect(KNOWLEDGE_ERROR_REASONS).toEqual([
    "unsupportedFileType", "fileEmpty", "fileTooLarge", "tooManyPages", "textTooLarge", "malformedFile",
    "archiveTooLarge", "encryptedFile", "noTextFound", "storageQuotaExceeded", "duplicateDocument", "originalUnreadable",
  ]);
  for (const reason of KNOWLEDGE_ERROR_REASONS) {
    const e = new KnowledgeError(reason);
    expect(e.reason).toBe(reason);
    expect(e.httpStatus).toBeGreaterThanOrEqual(400);
    expect(e.httpStatus).toBeLessThan(500);
  }
  // Document.errorReason is shown translated: every reason has a message in both languages.
  for (const messages of [en, es] as Array<{ errors: Record<string, string> }>) {
    for (const reason of KNOWLEDGE_ERROR_REASONS) expect(messages.errors[reason], reason).toMatch(/\S.{20,}/);
  }
  // The messages quote these numbers.
  expect(DEFAULT_EXTRACT_LIMITS).toEqual({ maxPages: 500, maxTextChars: 5_000_000, maxUnzippedBytes: 100 * 1024 * 1024, maxZipEntries: 2000 });
});

describe("empty files", () => {
  test.each<DocumentKind>(["pdf", "docx", "html", "markdown", "csv", "text"])("%s: 0 bytes or only whitespace → fileEmpty", async (kind) => {
    expect(await reasonOf(new Uint8Array(0), kind)).toBe("fileEmpty");
    expect(await reasonOf(u8("  \r\n\t\n "), kind)).toBe("fileEmpty");
  });

  test("markup with no text → noTextFound", async () => {
    expect(await reasonOf(u8("<!doctype html><html><head><script>alert(1)</script></head><body></body></html>"), "html")).toBe("noTextFound");
    expect(await reasonOf(u8("---\n***\n"), "markdown")).toBe("noTextFound");
    expect(await reasonOf(u8("a,b\n"), "csv")).toBe("noTextFound");
  });
});

describe("PDF", () => {
  test("truncated anywhere → malformedFile", async () => {
    const pdf = await makePdf({ pages: ["One.", "Two.", "Three."] });
    for (const n of [10, 100, Math.floor(pdf.length / 2), Math.floor(pdf.length * 0.9), pdf.length - 8]) {
      expect(await reasonOf(truncate(pdf, n), "pdf"), `cut at ${n}/${pdf.length}`).toBe("malformedFile");
    }
  });

  test("garbage after the header → malformedFile", async () => {
    expect(await reasonOf(u8("%PDF-1.7\nthis is not a pdf at all\n%%EOF\n"), "pdf")).toBe("malformedFile");
  });

  test("password-protected → encryptedFile", async () => {
    expect(await reasonOf(makeEncryptedPdf(), "pdf")).toBe("encryptedFile");
  });

  test("no text layer (a scan) → noTextFound", async () => {
    expect(await reasonOf(await makePdf({ pages: ["", ""] }), "pdf")).toBe("noTextFound");
  });

  test("more pages than maxPages → tooManyPages (3 pages, limit 2); at the limit is fine", async () => {
    const pdf = await makePdf({ pages: ["a page", "b page", "c page"] });
    expect(await reasonOf(pdf, "pdf", { maxPages: 2 })).toBe("tooManyPages");
    expect(await reasonOf(pdf, "pdf", { maxPages: 3 })).toBe("ok");
  });

  test("more text than maxTextChars → textTooLarge", async () => {
    const pdf = await makePdf({ pages: ["x".repeat(60) + " end", "y".repeat(60) + " end"] });
    expect(await reasonOf(pdf, "pdf", { maxTextChars: 80 })).toBe("textTooLarge");
  });
});

// RSS bound for the zip bombs. A reader that did not stream would hold the
// inflated bytes (100–200 MiB) plus their decoded UTF-16 text (twice that):
// well over 300 MiB. A streaming one only leaves garbage behind, and how much of
// it is still uncollected when we measure depends on the collector's timing and
// the machine's load: 60–110 MiB was observed on 2 cores. 150 MiB separates the
// two without failing on a busy CI machine (100 MiB did, at 106 MiB).
const BOMB_RSS_BOUND = 150 * 1024 * 1024;

describe("DOCX", () => {
  test("zip bomb lying about its size → archiveTooLarge, fast, without inflating it all", async () => {
    const bomb = makeZipBomb(); // 200 MB of zeros in ~1.3 MB, headers claim 4 KB
    expect(detectKind(bomb)?.kind).toBe("docx");
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(await reasonOf(bomb, "docx")).toBe("archiveTooLarge");
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(BOMB_RSS_BOUND);
  });

  test("zip bomb declaring just the byte budget → stopped once the budget is inflated, streaming, in bounded memory", async () => {
    const bomb = makeZipBomb({ declare: DEFAULT_EXTRACT_LIMITS.maxUnzippedBytes - 64 * 1024 });
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(await reasonOf(bomb, "docx")).toBe("archiveTooLarge");
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(BOMB_RSS_BOUND);
  });

  test("zip bomb with honest headers → archiveTooLarge from the declared size, before inflating", async () => {
    const t0 = performance.now();
    expect(await reasonOf(makeZipBomb({ declare: "honest" }), "docx")).toBe("archiveTooLarge");
    expect(performance.now() - t0).toBeLessThan(500);
  });

  test("even with a huge byte budget, an absurd compression ratio is refused", async () => {
    // zlib-grade deflate of 20 MB of zeros: ~1000:1, headers honest, well under the byte budget.
    const data = deflateSync(new Uint8Array(20 * 1024 * 1024), { level: 9 });
    const part = (name: string, text: string) => ({ name, data: u8(text), method: 0 as const, declaredSize: u8(text).length });
    const bomb = buildRawZip([
      part("[Content_Types].xml", "<Types/>"),
      { name: "word/document.xml", data, method: 8, declaredSize: 20 * 1024 * 1024 },
    ]);
    expect(await reasonOf(bomb, "docx", { maxUnzippedBytes: 10 * 1024 ** 3 })).toBe("archiveTooLarge");
  });

  test("inflated bytes are counted against maxUnzippedBytes across entries", async () => {
    const docx = makeDocx({ blocks: [{ text: "Some text. ".repeat(2000) }] });
    expect(await reasonOf(docx, "docx", { maxUnzippedBytes: 10_000 })).toBe("archiveTooLarge");
    expect(await reasonOf(docx, "docx")).toBe("ok");
  });

  test("more entries than maxZipEntries → archiveTooLarge", async () => {
    expect(await reasonOf(makeDocxWithEntries(50), "docx", { maxZipEntries: 20 })).toBe("archiveTooLarge");
    expect(await reasonOf(makeDocxWithEntries(2100), "docx")).toBe("archiveTooLarge");
    expect(await reasonOf(makeDocxWithEntries(10), "docx")).toBe("ok");
  });

  test("truncated → malformedFile", async () => {
    const docx = makeDocx({ blocks: [{ heading: "H", text: "Body text. ".repeat(50) }] });
    for (const n of [40, 300, Math.floor(docx.length / 2), docx.length - 10]) {
      expect(await reasonOf(truncate(docx, n), "docx"), `cut at ${n}/${docx.length}`).toBe("malformedFile");
    }
  });

  test("corrupt deflate data → malformedFile", async () => {
    const docx = makeDocx({ blocks: [{ text: "Hello world. ".repeat(100) }] });
    const broken = docx.slice();
    // Flip bytes in the middle of the compressed document.xml.
    const at = new TextDecoder("latin1").decode(broken).indexOf("word/document.xml") + 40;
    for (let i = at; i < at + 16; i++) broken[i] = broken[i]! ^ 0xff;
    expect(await reasonOf(broken, "docx")).toBe("malformedFile");
  });

  test("more text than maxTextChars → textTooLarge", async () => {
    expect(await reasonOf(makeDocx({ blocks: [{ text: "word ".repeat(100) }] }), "docx", { maxTextChars: 100 })).toBe("textTooLarge");
  });
});

describe("text formats over the text limit → textTooLarge", () => {
  const limit = { maxTextChars: 1000 };
  test.each<[DocumentKind, Uint8Array]>([
    ["text", makeText(Array.from({ length: 50 }, () => "forty characters of plain text here ok."))],
    ["markdown", makeMarkdown({ sections: Array.from({ length: 50 }, (_, i) => ({ heading: `S${i}`, text: "some words in a section" })) })],
    ["html", makeHtml({ sections: Array.from({ length: 50 }, (_, i) => ({ heading: `S${i}`, text: "some words in a section" })) })],
    ["csv", makeCsv({ header: ["a", "b"], rows: Array.from({ length: 200 }, (_, i) => [`row ${i}`, "value"]) })],
  ])("%s", async (kind, bytes) => {
    expect(await reasonOf(bytes, kind, limit)).toBe("textTooLarge");
    expect(await reasonOf(bytes, kind)).toBe("ok");
  });

  test("a text file far over the limit is refused before it is split", async () => {
    const big = u8("a".repeat(3_000_000));
    const t0 = performance.now();
    expect(await reasonOf(big, "text", { maxTextChars: 1_000_000 })).toBe("textTooLarge");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

test("binary bytes handed to a text extractor → malformedFile, not garbage text", async () => {
  expect(await reasonOf(new Uint8Array([0x66, 0x6f, 0xff, 0xfe, 0x6f]), "text")).toBe("malformedFile");
});
