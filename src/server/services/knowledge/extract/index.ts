import { KnowledgeError } from "../errors";
import { extractCsv } from "./csv";
import { extractDocx } from "./docx";
import { extractHtml } from "./html";
import { extractMarkdown } from "./markdown";
import { extractPdf } from "./pdf";
import { extractText, isBlank } from "./text";
import { DEFAULT_EXTRACT_LIMITS, type DocumentKind, type ExtractedDocument, type ExtractLimits } from "./types";

// Knowledge extraction: content-type detection, text extraction with source
// positions (page, heading), and chunking. Pure functions over bytes: no
// database, storage or network. See README.md for formats, limits and gaps.

export { detectKind, MIME_TYPES } from "./detect";
export { chunkDocument, DEFAULT_OVERLAP_CHARS, DEFAULT_TARGET_CHARS } from "./chunk";
export { documentText, BLOCK_SEPARATOR } from "./text";
export {
  DEFAULT_EXTRACT_LIMITS,
  DOCUMENT_KINDS,
  type DocumentChunk,
  type DocumentKind,
  type ExtractedBlock,
  type ExtractedDocument,
  type ExtractLimits,
} from "./types";

/**
 * Extracts the text of a document whose kind was decided by `detectKind`.
 * Fails with a KnowledgeError whose reason is one of: fileEmpty, malformedFile,
 * encryptedFile, tooManyPages, textTooLarge, archiveTooLarge, noTextFound.
 */
export async function extractDocument(
  bytes: Uint8Array,
  kind: DocumentKind,
  limits: Partial<ExtractLimits> = {},
): Promise<ExtractedDocument> {
  const l: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS, ...limits };
  if (isBlank(bytes)) throw new KnowledgeError("fileEmpty", "the file is empty");
  switch (kind) {
    case "pdf":
      return extractPdf(bytes, l);
    case "docx":
      return extractDocx(bytes, l);
    case "html":
      return extractHtml(bytes, l);
    case "markdown":
      return extractMarkdown(bytes, l);
    case "csv":
      return extractCsv(bytes, l);
    case "text":
      return extractText(bytes, l);
    default:
      throw new KnowledgeError("unsupportedFileType", `unsupported kind ${String(kind)}`);
  }
}
