import "server-only";
import { env } from "~/env";
import { AppError, notFound } from "~/server/errors";
import { readStreamWithLimit } from "~/server/infra/body-limit";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { readOriginal } from "~/server/services/knowledge/document-reads";
import { uploadDocument } from "~/server/services/knowledge/document-upload";
import { KnowledgeError } from "~/server/services/knowledge/errors";
import { contentDispositionFor } from "./kit/content-disposition";
import type { TenantRouteCtx } from "./kit/tenant-route";

/*
 * POST /api/t/[tenantSlug]/documents              — upload one file (raw bytes)
 * GET  /api/t/[tenantSlug]/documents/[id]/original — download a stored original
 *
 * Both run under the route kit (tenantRoute): origin, session and workspace
 * role are settled there, before a single body byte is read. Errors are JSON
 * `{ error: { code, reason, message } }` (kit/error-response.ts).
 *
 * Upload protocol: one file per request (the UI sends files in parallel, each
 * with its own progress), body = the file's bytes, `content-type:
 * application/octet-stream`, the file name in `x-filename` (percent-encoded
 * UTF-8, as encodeURIComponent writes it), an optional `x-title` (same
 * encoding). 201 `{ document, duplicate: false }` for a new document, 200
 * `{ document, duplicate: true }` when the workspace already has the content.
 * Uploading takes MEMBER (viewers read documents but do not add them).
 */

export const DOCUMENTS_ROUTE = "/api/t/[tenantSlug]/documents";
export const DOCUMENT_ORIGINAL_ROUTE = "/api/t/[tenantSlug]/documents/[documentId]/original";
/** Longest accepted x-filename / x-title header (percent-encoded: up to 9 bytes per character). */
const MAX_NAME_HEADER_CHARS = 4_000;
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A percent-encoded UTF-8 header value; null when absent; BAD_REQUEST when malformed. */
const decodedHeader = (req: Request, name: string): string | null => {
  const raw = req.headers.get(name);
  if (raw === null) return null;
  if (raw.length > MAX_NAME_HEADER_CHARS) throw new AppError("BAD_REQUEST", "invalidInput", `${name} is too long`);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError("BAD_REQUEST", "invalidInput", `${name} must be percent-encoded UTF-8`);
  }
};

// Form encodings: a client that sent one did not send the raw file (the bytes would be the form envelope).
const FORM_TYPES = /^\s*(multipart\/|application\/x-www-form-urlencoded)/i;

/** The upload's name headers and bytes, refused early when malformed or over KNOWLEDGE_MAX_FILE_BYTES. */
const uploadOf = async (req: Request) => {
  const contentType = req.headers.get("content-type");
  if (contentType && FORM_TYPES.test(contentType)) {
    throw new AppError("BAD_REQUEST", "invalidInput", "Send the file's bytes as the body (application/octet-stream), one file per request");
  }
  const filename = decodedHeader(req, "x-filename");
  if (filename === null || filename.trim() === "") throw new AppError("BAD_REQUEST", "invalidInput", "The x-filename header is required");
  const title = decodedHeader(req, "x-title");

  const max = env.KNOWLEDGE_MAX_FILE_BYTES;
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) throw new KnowledgeError("fileTooLarge", `The file exceeds ${max} bytes`);
  // Counted as it streams in; reading stops (and the stream is cancelled) at the first byte over the limit.
  const bytes = await readStreamWithLimit(req.body, max);
  if (bytes === null) throw new KnowledgeError("fileTooLarge", `The file exceeds ${max} bytes`);
  return { filename, title, bytes };
};

/** Handles one upload (MEMBER and up; see tenantRoute). */
export const handleDocumentUpload = async ({ req, tenant, span }: TenantRouteCtx<{ tenantSlug: string }>): Promise<Response> => {
  // Per user, per client IP and per workspace (workload-limits.ts: RATE_LIMIT_UPLOADS_*).
  await enforceWorkloadLimit("upload", actorOf(tenant));

  const upload = await uploadOf(req);
  span.setAttribute("ocsuite.document.size_bytes", upload.bytes.byteLength);
  const result = await uploadDocument(tenant, upload);
  span.setAttribute("ocsuite.document.duplicate", result.duplicate);
  return new Response(JSON.stringify(result), {
    status: result.duplicate ? 200 : 201,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
};

// Plain-text kinds are stored only when they are valid UTF-8 (detectKind); HTML keeps its own <meta charset>.
const UTF8_TYPES = new Set(["text/plain", "text/markdown", "text/csv", "text/tab-separated-values"]);
const contentTypeFor = (mimeType: string) => (UTF8_TYPES.has(mimeType) ? `${mimeType}; charset=utf-8` : mimeType);

/** Handles one download of a stored original (VIEWER and up; audited as document.download). */
export const handleDocumentDownload = async ({ params, tenant }: TenantRouteCtx<{ tenantSlug: string; documentId: string }>): Promise<Response> => {
  if (!DOCUMENT_ID.test(params.documentId)) throw notFound("Document");
  const original = await readOriginal(tenant, { id: params.documentId });
  return new Response(Buffer.from(original.bytes), {
    status: 200,
    headers: {
      "content-type": contentTypeFor(original.mimeType),
      "content-length": String(original.bytes.byteLength),
      "content-disposition": contentDispositionFor(original.filename),
      // Never rendered by the browser as our origin's content (an uploaded HTML file stays a download).
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, no-store",
    },
  });
};
