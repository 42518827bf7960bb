// Shared types of the extraction module (re-exported by ./index.ts).

/** A tuple, so it can feed `z.enum(DOCUMENT_KINDS)` directly. */
export const DOCUMENT_KINDS = ["pdf", "docx", "markdown", "text", "csv", "html"] as const;

export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export type ExtractLimits = {
  /** Most pages a PDF may have; checked from the page tree before any page is read. */
  maxPages: number;
  /** Most characters of extracted text, all blocks together. */
  maxTextChars: number;
  /** Most bytes a DOCX may inflate to, declared or actual, all entries together. */
  maxUnzippedBytes: number;
  /** Most entries in a DOCX's zip central directory. */
  maxZipEntries: number;
};

export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxPages: 500,
  maxTextChars: 5_000_000,
  maxUnzippedBytes: 100 * 1024 * 1024,
  maxZipEntries: 2_000,
});

export type ExtractedBlock = {
  /** 1-based page number; null for formats without pages (markdown, text, csv, html). */
  page: number | null;
  /** Nearest heading above this block (the block's own heading if it is one). */
  heading: string | null;
  text: string;
};

export type ExtractedDocument = {
  blocks: ExtractedBlock[];
  pageCount: number | null;
  /** Characters of the concatenated text (see `documentText`). */
  charCount: number;
  title: string | null;
};

export type DocumentChunk = {
  ordinal: number;
  text: string;
  page: number | null;
  heading: string | null;
  /** Offsets into `documentText(doc)`: text === documentText(doc).slice(charStart, charEnd). */
  charStart: number;
  charEnd: number;
};
