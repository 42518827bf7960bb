import { KnowledgeError } from "../errors";
import type { ExtractedBlock, ExtractedDocument, ExtractLimits } from "./types";

// Helpers shared by the format extractors, and the plain-text extractor.

/** Separator between blocks in a document's concatenated text; chunk offsets depend on it. */
export const BLOCK_SEPARATOR = "\n\n";

/** The concatenated text of a document: what charCount counts and chunk offsets index into. */
export const documentText = (doc: Pick<ExtractedDocument, "blocks">): string => doc.blocks.map((b) => b.text).join(BLOCK_SEPARATOR);

const hasUtf8Bom = (b: Uint8Array) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** Strict UTF-8 decoding (BOM dropped); null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes);
  } catch {
    return null;
  }
}

export function decodeUtf8OrThrow(bytes: Uint8Array): string {
  const s = decodeUtf8(bytes);
  if (s === null) throw new KnowledgeError("malformedFile", "text is not valid UTF-8");
  return s;
}

/** True for 0 bytes or bytes that are only ASCII whitespace (and a BOM). */
export function isBlank(bytes: Uint8Array): boolean {
  for (let i = hasUtf8Bom(bytes) ? 3 : 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b) return false;
  }
  return true;
}

// C0 controls other than tab and newline, DEL, C1 controls, and the Unicode
// non-characters a decoder may leave: none of them carry meaning for search.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/** Newlines to \n, control characters removed, trailing spaces per line removed. */
export function normalizeNewlines(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(CONTROL, "").replace(/[ \t\u00a0]+$/gm, "");
}

/** Collapses all whitespace (newlines included) into single spaces. */
export const collapseSpaces = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Collects blocks and enforces maxTextChars as text is produced, so an
 * oversized document fails early instead of after building all of its text.
 */
export class DocumentBuilder {
  readonly blocks: ExtractedBlock[] = [];
  private chars = 0;
  title: string | null = null;

  constructor(private readonly limits: Pick<ExtractLimits, "maxTextChars">) {}

  get charCount() {
    return this.chars;
  }

  add(text: string, page: number | null, heading: string | null): void {
    const t = text.trim();
    if (!t) return;
    this.chars += (this.blocks.length ? BLOCK_SEPARATOR.length : 0) + t.length;
    if (this.chars > this.limits.maxTextChars) {
      throw new KnowledgeError("textTooLarge", `extracted text exceeds ${this.limits.maxTextChars} characters`);
    }
    this.blocks.push({ page, heading: heading ? collapseSpaces(heading) || null : null, text: t });
  }

  /** Throws noTextFound when nothing was added. */
  build(pageCount: number | null): ExtractedDocument {
    if (this.blocks.length === 0) throw new KnowledgeError("noTextFound", "no text could be extracted");
    const title = this.title ? collapseSpaces(this.title).slice(0, 300) || null : null;
    return { blocks: this.blocks, pageCount, charCount: this.chars, title };
  }
}

/** Paragraphs (blank-line separated) of a plain-text file. */
export function extractText(bytes: Uint8Array, limits: ExtractLimits): ExtractedDocument {
  const raw = decodeUtf8OrThrow(bytes);
  // Cheap early refusal: normalisation never shrinks text by half.
  if (raw.length > limits.maxTextChars * 2) throw new KnowledgeError("textTooLarge", `text exceeds ${limits.maxTextChars} characters`);
  const doc = new DocumentBuilder(limits);
  for (const para of normalizeNewlines(raw).split(/\n\s*\n/)) doc.add(para, null, null);
  return doc.build(null);
}
