import "server-only";
import type { AppError } from "~/server/errors";

/*
 * The one AppError → Response mapping of the route handlers (tRPC has its own
 * in server/api/trpc.ts). Body: `{ error: { code, reason, message } }`, where
 * `reason` is the stable key the UI translates (src/features/chat/stream.ts,
 * src/features/knowledge/upload.ts read it) and `message` is English.
 */

export const errorResponse = (status: number, code: string, reason: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, reason, message } }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

/**
 * Reasons HTTP has a more precise status for than their AppError code. The
 * code stays BAD_REQUEST for tRPC (which has no 415 for a mutation input), so
 * the difference lives here rather than in the domain error.
 */
const HTTP_BY_REASON: Record<string, { status: number; code: string }> = {
  unsupportedFileType: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
};

export const appErrorResponse = (err: AppError): Response => {
  const override = HTTP_BY_REASON[err.reason];
  return errorResponse(
    override?.status ?? err.httpStatus,
    override?.code ?? err.code,
    err.reason,
    // Internal errors never leak their message to the client.
    err.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : err.message,
    err.retryAfterSeconds !== undefined ? { "Retry-After": String(err.retryAfterSeconds) } : {},
  );
};

export const internalErrorResponse = () => errorResponse(500, "INTERNAL_SERVER_ERROR", "internalError", "Internal server error");
