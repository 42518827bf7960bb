import "server-only";
import { SpanKind, SpanStatusCode, context as otelContext, trace, type Span } from "@opentelemetry/api";
import { env } from "~/env";
import { ZTenantSlug } from "~/lib/slug";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { AppError, isAppError, notFound } from "~/server/errors";
import { readStreamWithLimit } from "~/server/infra/body-limit";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { hitRateLimit } from "~/server/infra/rate-limit";
import { tracer } from "~/server/infra/tracing";
import type { TenantCtx } from "~/server/services/context";
import { readOriginal } from "~/server/services/knowledge/document-reads";
import { uploadDocument } from "~/server/services/knowledge/document-upload";
import type { DocumentDeps } from "~/server/services/knowledge/documents";
import { KnowledgeError } from "~/server/services/knowledge/errors";
import { resolveTenantContext } from "~/server/services/tenancy/tenant-context";
import { isCrossSite, type ChatRouteUser } from "./chat-route";

/*
 * POST /api/t/[tenantSlug]/documents              — upload one file (raw bytes)
 * GET  /api/t/[tenantSlug]/documents/[id]/original — download a stored original
 *
 * The route files only find the session; the logic is here so tests can drive
 * it with real Requests. Errors are JSON `{ error: { code, reason, message } }`.
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

/** Uploads per user per minute (RATE_LIMIT_UPLOADS_PER_MINUTE, default 120). */
export const uploadRateLimit = () => ({ name: "document-upload", limit: env.RATE_LIMIT_UPLOADS_PER_MINUTE, windowSeconds: 60 });

export type RouteUser = ChatRouteUser;
/** Test seam for the documents service (which storage to use). */
export type DocumentsRouteDeps = DocumentDeps;

const errorResponse = (status: number, code: string, reason: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, reason, message } }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

/** The AppError's status, except an unsupported file type, which HTTP calls 415. */
const fromAppError = (err: AppError) => {
  const unsupported = err.reason === "unsupportedFileType";
  return errorResponse(
    unsupported ? 415 : err.httpStatus,
    unsupported ? "UNSUPPORTED_MEDIA_TYPE" : err.code,
    err.reason,
    err.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : err.message,
    err.retryAfterSeconds !== undefined ? { "Retry-After": String(err.retryAfterSeconds) } : {},
  );
};

/** Runs a handler in a server span and records http_server_request_duration_seconds for it. */
const instrumented = async (method: string, route: string, fn: (span: Span) => Promise<Response>): Promise<Response> => {
  const started = performance.now();
  const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route } });
  let response: Response;
  let status = "OK";
  try {
    response = await otelContext.with(trace.setSpan(otelContext.active(), span), () => fn(span));
  } catch (err) {
    const appError = isAppError(err) ? err : null;
    if (!appError) {
      logger.error({ err, route }, "documents request failed");
      span.recordException(err as Error);
    } else span.setAttribute("error.type", appError.reason);
    status = appError?.code ?? "INTERNAL_SERVER_ERROR";
    response = appError ? fromAppError(appError) : errorResponse(500, "INTERNAL_SERVER_ERROR", "internalError", "Internal server error");
  }
  metrics.rpcDuration.observe({ procedure: route, type: "route", status }, (performance.now() - started) / 1000);
  if (status !== "OK") metrics.rpcErrors.inc({ procedure: route, status });
  span.setAttribute("http.response.status_code", response.status);
  if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: status });
  span.end();
  return response;
};

/** Session, then workspace membership with at least `minRole` (unknown workspace or not a member: 404). */
const tenantOf = async (req: Request, rawSlug: string, getUser: () => Promise<RouteUser | null>, minRole: "VIEWER" | "MEMBER", span: Span): Promise<TenantCtx> => {
  const user = await getUser();
  if (!user) throw new AppError("UNAUTHORIZED", "unauthenticated", "Sign in first");
  span.setAttribute("enduser.id", user.id);
  return resolveTenant(req, rawSlug, user, minRole, span);
};

const resolveTenant = async (req: Request, rawSlug: string, user: RouteUser, minRole: "VIEWER" | "MEMBER", span: Span): Promise<TenantCtx> => {
  // A malformed slug names no workspace: the same 404 as an unknown one.
  const slug = ZTenantSlug.safeParse(rawSlug);
  if (!slug.success) throw notFound("Workspace");
  const tenant = await resolveTenantContext({ userId: user.id, isPlatformAdmin: user.isPlatformAdmin, meta: requestMetaFrom(req.headers) }, slug.data, minRole);
  span.setAttribute("ocsuite.tenant_id", tenant.tenantId);
  return tenant;
};

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

/** Handles one upload. `getUser` resolves the session (Auth.js in the route; it runs after the cheap origin check). */
export const handleDocumentUpload = (req: Request, tenantSlug: string, getUser: () => Promise<RouteUser | null>, deps: DocumentsRouteDeps = {}): Promise<Response> =>
  instrumented("POST", DOCUMENTS_ROUTE, async (span) => {
    try {
      if (isCrossSite(req)) throw new AppError("FORBIDDEN", "crossOrigin", "Cross-site requests are not allowed");
      const user = await getUser();
      if (!user) throw new AppError("UNAUTHORIZED", "unauthenticated", "Sign in first");
      span.setAttribute("enduser.id", user.id);

      const limited = await hitRateLimit({ ...uploadRateLimit(), key: user.id });
      if (!limited.allowed) throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many uploads; wait a moment", { retryAfterSeconds: limited.retryAfterSeconds });

      // Who may upload is settled before a single body byte is read.
      const tenant = await resolveTenant(req, tenantSlug, user, "MEMBER", span);

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
      span.setAttribute("ocsuite.document.size_bytes", bytes.byteLength);

      const result = await uploadDocument(tenant, { filename, bytes, title }, deps);
      span.setAttribute("ocsuite.document.duplicate", result.duplicate);
      return new Response(JSON.stringify(result), {
        status: result.duplicate ? 200 : 201,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      });
    } finally {
      // Whatever happened, do not leave an unread upload hanging on the connection.
      if (req.body && !req.bodyUsed) await req.body.cancel().catch(() => undefined);
    }
  });

/** ASCII stand-in for old clients; the real name goes in filename* (RFC 6266 / 8187). */
const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "download";

/** `attachment; filename="…"; filename*=UTF-8''…` for a stored (already sanitised) file name. */
export const contentDispositionFor = (filename: string) => {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${encoded}`;
};

// Plain-text kinds are stored only when they are valid UTF-8 (detectKind); HTML keeps its own <meta charset>.
const UTF8_TYPES = new Set(["text/plain", "text/markdown", "text/csv", "text/tab-separated-values"]);
const contentTypeFor = (mimeType: string) => (UTF8_TYPES.has(mimeType) ? `${mimeType}; charset=utf-8` : mimeType);

/** Handles one download of a stored original (VIEWER and up; audited as document.download). */
export const handleDocumentDownload = (
  req: Request,
  tenantSlug: string,
  documentId: string,
  getUser: () => Promise<RouteUser | null>,
  deps: DocumentsRouteDeps = {},
): Promise<Response> =>
  instrumented("GET", DOCUMENT_ORIGINAL_ROUTE, async (span) => {
    const tenant = await tenantOf(req, tenantSlug, getUser, "VIEWER", span);
    if (!DOCUMENT_ID.test(documentId)) throw notFound("Document");
    const original = await readOriginal(tenant, { id: documentId }, deps);
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
  });
