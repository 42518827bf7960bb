// One error type for the domain, mapped once per transport: to tRPC in
// server/api/trpc.ts (appErrorMiddleware + errorFormatter), to route-handler
// Responses in server/http/kit/error-response.ts (used by the route kit).
// `reason` is a stable machine key the UI translates (messages: errors.<reason>);
// `message` is English for logs and API clients.

export const APP_ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly reason: string;
  readonly retryAfterSeconds?: number;
  /** Values the UI's message for `reason` interpolates (errors.<reason>), e.g. { inProgress, limit }. */
  readonly params?: Record<string, string | number>;

  constructor(code: AppErrorCode, reason: string, message?: string, opts: { retryAfterSeconds?: number; params?: Record<string, string | number>; cause?: unknown } = {}) {
    super(message ?? reason, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.reason = reason;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.params = opts.params;
  }

  get httpStatus(): number {
    return APP_ERROR_CODES[this.code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Shorthands for the common cases; services read better with them. */
export const notFound = (what: string) => new AppError("NOT_FOUND", "notFound", `${what} not found`);
export const forbidden = (reason = "forbidden", message?: string) => new AppError("FORBIDDEN", reason, message);
