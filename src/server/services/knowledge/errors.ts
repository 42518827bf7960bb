import { AppError, type AppErrorCode } from "~/server/errors";

// Every way a knowledge upload or its ingestion can fail, as stable keys.
// `Document.errorReason` stores one of these, and the UI translates it with
// messages `errors.<reason>` (en + es), so the list is the contract between
// extraction, the documents service, ingestion and the UI.
export const KNOWLEDGE_ERROR_REASONS = [
  "unsupportedFileType",
  "fileEmpty",
  "fileTooLarge",
  "tooManyPages",
  "textTooLarge",
  "malformedFile",
  "archiveTooLarge",
  "encryptedFile",
  "noTextFound",
  "storageQuotaExceeded",
  "duplicateDocument",
  "originalUnreadable",
] as const;

export type KnowledgeErrorReason = (typeof KNOWLEDGE_ERROR_REASONS)[number];

// HTTP-ish class of each reason: "too big" is 413 so clients can tell a limit
// from a broken file (400); a duplicate is a conflict with an existing row.
const CODE_OF: Record<KnowledgeErrorReason, AppErrorCode> = {
  unsupportedFileType: "BAD_REQUEST",
  fileEmpty: "BAD_REQUEST",
  fileTooLarge: "PAYLOAD_TOO_LARGE",
  tooManyPages: "PAYLOAD_TOO_LARGE",
  textTooLarge: "PAYLOAD_TOO_LARGE",
  malformedFile: "BAD_REQUEST",
  archiveTooLarge: "PAYLOAD_TOO_LARGE",
  encryptedFile: "BAD_REQUEST",
  noTextFound: "BAD_REQUEST",
  storageQuotaExceeded: "PAYLOAD_TOO_LARGE",
  duplicateDocument: "CONFLICT",
  // The stored original no longer decrypts (its workspace's keys destroyed, or the object modified).
  originalUnreadable: "PRECONDITION_FAILED",
};

export class KnowledgeError extends AppError {
  declare readonly reason: KnowledgeErrorReason;

  constructor(reason: KnowledgeErrorReason, message?: string, opts: { cause?: unknown } = {}) {
    super(CODE_OF[reason], reason, message ?? reason, opts);
    this.name = "KnowledgeError";
  }
}

export const isKnowledgeError = (e: unknown): e is KnowledgeError => e instanceof KnowledgeError;

export const isKnowledgeErrorReason = (s: unknown): s is KnowledgeErrorReason =>
  typeof s === "string" && (KNOWLEDGE_ERROR_REASONS as readonly string[]).includes(s);
