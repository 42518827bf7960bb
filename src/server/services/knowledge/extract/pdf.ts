import { getResolvedPDFJS } from "unpdf";
import { KnowledgeError } from "../errors";
import type { ExtractedDocument, ExtractLimits } from "./types";
import { DocumentBuilder, normalizeNewlines } from "./text";

// PDF text via PDF.js (the serverless build bundled by `unpdf`: pure JS, no
// worker thread, no canvas). One block per page, page numbers 1-based.
// The page count comes from the page tree before any page is parsed, so an
// oversized PDF is refused without extracting it. Scanned PDFs (images only)
// have no text layer and fail with noTextFound: there is no OCR.

type TextItem = { str: string; hasEOL: boolean; transform: number[]; width: number; height: number };

const isTextItem = (x: unknown): x is TextItem => typeof x === "object" && x !== null && "str" in x;

/**
 * A complete PDF ends with `%%EOF` (readers look for it in the last 1 KiB).
 * PDF.js repairs truncated files by scanning objects, silently returning fewer
 * pages; we would rather say the upload is broken than index part of it.
 */
function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = new TextDecoder("latin1").decode(bytes.subarray(Math.max(0, bytes.length - 1024)));
  return tail.includes("%%EOF");
}

/**
 * Joins a page's text items: a new line where the baseline moves (or PDF.js
 * marks a line end), a blank line (paragraph) where it moves by clearly more
 * than one line, a space across horizontal gaps between items of one line.
 */
function pageText(items: unknown[]): string {
  let out = "";
  let prev: TextItem | null = null;
  for (const raw of items) {
    if (!isTextItem(raw)) continue;
    const item = raw;
    if (prev) {
      const size = prev.height || 10;
      const dy = Math.abs((item.transform[5] ?? 0) - (prev.transform[5] ?? 0));
      if (dy >= Math.max(1, size * 0.5)) out += dy > size * 1.9 ? "\n\n" : "\n";
      else if (prev.hasEOL) out += "\n";
      else if (!/\s$/.test(out) && !/^\s/.test(item.str)) {
        const gap = (item.transform[4] ?? 0) - ((prev.transform[4] ?? 0) + prev.width);
        if (gap > Math.max(0.5, size * 0.15)) out += " ";
      }
    }
    out += item.str;
    // Empty items only carry a line end; keep the position of the last real text.
    if (item.str || item.hasEOL) prev = item;
  }
  return normalizeNewlines(out)
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    // Words hyphenated across a line end ("manip-\nulation") are rejoined so they can be found.
    .replace(/(\p{L})-\n(\p{Ll})/gu, "$1$2");
}

function classify(err: unknown): KnowledgeError {
  if (err instanceof KnowledgeError) return err;
  const name = typeof err === "object" && err !== null && "name" in err ? String((err as { name: unknown }).name) : "";
  if (name === "PasswordException") return new KnowledgeError("encryptedFile", "PDF is password-protected", { cause: err });
  return new KnowledgeError("malformedFile", `PDF could not be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

export async function extractPdf(bytes: Uint8Array, limits: ExtractLimits): Promise<ExtractedDocument> {
  if (!hasEofMarker(bytes)) throw new KnowledgeError("malformedFile", "PDF is truncated (no %%EOF)");
  const { getDocument } = await getResolvedPDFJS();
  let pdf: Awaited<ReturnType<typeof getDocument>["promise"]>;
  const task = getDocument({
    // A copy: PDF.js may take ownership of (detach) the buffer it is given.
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    stopAtErrors: false,
  });
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw classify(err);
  }
  try {
    const pageCount = pdf.numPages;
    if (pageCount > limits.maxPages) throw new KnowledgeError("tooManyPages", `PDF has ${pageCount} pages (limit ${limits.maxPages})`);
    const doc = new DocumentBuilder(limits);
    try {
      const meta = await pdf.getMetadata();
      const info = meta.info as { Title?: unknown } | undefined;
      if (typeof info?.Title === "string" && info.Title.trim()) doc.title = info.Title;
    } catch {
      // Broken metadata is not a reason to refuse the text.
    }
    for (let n = 1; n <= pageCount; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      // Blank lines inside a page separate paragraphs: each becomes a block of that page.
      for (const para of pageText(content.items).split(/\n\s*\n/)) doc.add(para, n, null);
      page.cleanup();
    }
    return doc.build(pageCount);
  } catch (err) {
    throw classify(err);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}
