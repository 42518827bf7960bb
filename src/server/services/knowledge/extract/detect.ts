import { sniffCsvDelimiter } from "./csv";
import { decodeUtf8, isBlank } from "./text";
import type { DocumentKind } from "./types";
import { isZip, sniffZip } from "./zip";

// Content-type detection from the bytes alone; a file's name and the
// browser's declared type are never trusted. Order matters: binary
// signatures first, then text formats from the most to the least specific.

export const MIME_TYPES: Record<DocumentKind, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
  csv: "text/csv",
  markdown: "text/markdown",
  text: "text/plain",
};

const SAMPLE = 64 * 1024;

const result = (kind: DocumentKind, mimeType = MIME_TYPES[kind]) => ({ kind, mimeType });

/** `%PDF-` at the start; readers accept it anywhere in the first 1 KiB (some writers prepend junk). */
function isPdf(b: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(b.subarray(0, 1024));
  return head.startsWith("%PDF-") || (head.includes("%PDF-") && !head.slice(0, head.indexOf("%PDF-")).includes("\0"));
}

/** A zip is a DOCX when it holds [Content_Types].xml and word/document.xml (other zips, xlsx included, are not). */
function isDocx(b: Uint8Array): boolean {
  const { names, contentTypes, complete } = sniffZip(b);
  if (!names.includes("[Content_Types].xml")) return false;
  if (complete) return names.includes("word/document.xml");
  // Cut-off upload: whatever part of the package survived must say Word.
  return names.some((n) => n.startsWith("word/")) || (contentTypes?.includes("wordprocessingml.document.main") ?? false);
}

const HTML_START = /^(?:<!--[\s\S]*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])/i;
const HTML_STRUCTURE = /<(?:html|head|body)[\s>]|<(?:title|meta|link|div|p|section|article|main|table|h[1-6]|ul|ol|script|style|br)[\s>/]/gi;

function looksLikeHtml(sample: string): boolean {
  const s = sample.trimStart();
  if (HTML_START.test(s)) return true;
  // Fragments (no doctype, no <html>): must start with a tag and show HTML structure early.
  if (!s.startsWith("<")) return false;
  const early = s.slice(0, 4096);
  if (/<(?:html|head|body)[\s>]/i.test(early)) return true;
  const distinct = new Set((early.match(HTML_STRUCTURE) ?? []).map((t) => t.slice(1).replace(/[\s>/]+$/, "").toLowerCase()));
  return distinct.size >= 2;
}

const MD_HEADING = /^ {0,3}#{1,6}[ \t]+\S/m;
const MD_FENCE = /^ {0,3}(?:```|~~~)/m;
const MD_SIGNALS: RegExp[] = [
  /^ {0,3}[-*+][ \t]+\S/m, // bullet list
  /^ {0,3}\d{1,9}[.)][ \t]+\S/m, // numbered list
  /\[[^\]\n]+\]\([^)\s]+\)/, // link or image
  /^ {0,3}>[ \t]?\S/m, // blockquote
  /(\*\*|__)\S[^\n]*?\S\1/, // strong emphasis
  /^\S[^\n]*\n {0,3}(?:=+|-+)[ \t]*$/m, // setext heading
  /^ {0,3}\|.*\|[ \t]*\n {0,3}\|?[ \t]*:?-{3,}/m, // table
  /`[^`\n]+`/, // inline code
];

function looksLikeMarkdown(sample: string): boolean {
  if (MD_HEADING.test(sample) || MD_FENCE.test(sample)) return true;
  return MD_SIGNALS.filter((re) => re.test(sample)).length >= 2;
}

/** NUL or many control characters: binary data that happens to be valid UTF-8. */
function looksBinary(text: string): boolean {
  if (text.includes("\0")) return true;
  const controls = text.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f\u007f]/g)?.length ?? 0;
  return controls > Math.max(8, text.length * 0.01);
}

/**
 * The document kind and canonical MIME type of `bytes`, or null when the
 * content is not a supported format. Empty or whitespace-only input is
 * reported as text so that extraction can fail with the precise `fileEmpty`.
 */
export function detectKind(bytes: Uint8Array): { kind: DocumentKind; mimeType: string } | null {
  if (isBlank(bytes)) return result("text");
  if (isPdf(bytes)) return result("pdf");
  if (isZip(bytes)) return isDocx(bytes) ? result("docx") : null;

  // Text formats: the whole file must be valid UTF-8 (HTML may declare a legacy charset).
  const text = decodeUtf8(bytes);
  const sample = (text ?? new TextDecoder("latin1").decode(bytes.subarray(0, SAMPLE))).slice(0, SAMPLE);
  if (bytes.subarray(0, SAMPLE).includes(0) || looksBinary(sample)) return null;
  if (looksLikeHtml(sample)) return text !== null || /<meta[^>]+charset/i.test(sample.slice(0, 4096)) ? result("html") : null;
  if (text === null || text.includes("\0")) return null;

  const delimiter = sniffCsvDelimiter(sample, { sampleIsComplete: text.length <= SAMPLE });
  if (delimiter && !looksLikeMarkdown(sample)) return result("csv", delimiter === "\t" ? "text/tab-separated-values" : "text/csv");
  if (looksLikeMarkdown(sample)) return result("markdown");
  return result("text");
}
