import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { documentOriginalKey, isObjectNotFound, objectStorage, type ObjectStorage } from "~/server/infra/storage";
import { hasRole, type TRole } from "~/lib/roles";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { sendJobEvent } from "../jobs/send";
import { KnowledgeError } from "./errors";
import { detectKind, type DocumentKind } from "./extract";

/*
 * The tenant's knowledge documents: upload (content-typed, de-duplicated,
 * within the tenant's quota), list, read, delete, re-index and download.
 *
 * "Nothing half-stored": an upload writes the original under a key named by a
 * fresh document id, THEN inserts the row; when anything fails after the
 * write, the object is deleted again, so there is never a row without its
 * original, and an orphaned object can only be left if that cleanup delete
 * fails too (logged; see docs/runbooks/storage.md). Rows are never visible
 * before their original exists.
 *
 * Roles: list/get/download VIEWER+ (a viewer may read the workspace's
 * knowledge); upload and re-index MEMBER+ (they add content and spend
 * indexing); delete by the uploader (MEMBER+) or ADMIN+.
 */

export const DOCUMENT_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const MAX_FILENAME_CHARS = 200;
export const MAX_TITLE_CHARS = 200;
export const MAX_SEARCH_CHARS = 200;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/** Limits from env (KNOWLEDGE_MAX_FILE_BYTES, KNOWLEDGE_TENANT_QUOTA_BYTES). */
export const knowledgeLimits = () => ({ maxFileBytes: env.KNOWLEDGE_MAX_FILE_BYTES, quotaBytes: env.KNOWLEDGE_TENANT_QUOTA_BYTES });

export type DocumentDto = {
  id: string;
  title: string;
  filename: string;
  kind: DocumentKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  status: DocumentStatus;
  errorReason: string | null;
  pageCount: number | null;
  charCount: number | null;
  chunkCount: number;
  indexVersion: number;
  createdAt: Date;
  updatedAt: Date;
  indexedAt: Date | null;
  uploadedBy: { id: string; name: string | null } | null;
  /** Whether the caller may delete it (the uploader or an admin). */
  canDelete: boolean;
};

const DOCUMENT_SELECT = {
  id: true,
  tenantId: true,
  uploadedById: true,
  title: true,
  filename: true,
  kind: true,
  mimeType: true,
  sizeBytes: true,
  sha256: true,
  storageKey: true,
  status: true,
  errorReason: true,
  pageCount: true,
  charCount: true,
  chunkCount: true,
  indexVersion: true,
  createdAt: true,
  updatedAt: true,
  indexedAt: true,
} as const satisfies Prisma.DocumentSelect;
type DocumentRow = Prisma.DocumentGetPayload<{ select: typeof DOCUMENT_SELECT }>;

const asStatus = (s: string): DocumentStatus => ((DOCUMENT_STATUSES as readonly string[]).includes(s) ? (s as DocumentStatus) : "failed");

type Scope = Pick<TenantCtx, "tenantId" | "userId" | "role">;

const canDelete = (ctx: Scope, row: { uploadedById: string | null }) =>
  hasRole(ctx.role, "ADMIN") || (hasRole(ctx.role, "MEMBER") && row.uploadedById !== null && row.uploadedById === ctx.userId);

/** Uploader names for rows (Document has no relation to User: an uploader may leave or be deleted). */
const uploadersOf = async (rows: Array<{ uploadedById: string | null }>) => {
  const ids = [...new Set(rows.map((r) => r.uploadedById).filter((v): v is string => v !== null))];
  if (ids.length === 0) return new Map<string, { id: string; name: string | null }>();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, { id: u.id, name: u.name ?? u.email }]));
};

const toDto = (ctx: Scope, row: DocumentRow, uploaders: Map<string, { id: string; name: string | null }>): DocumentDto => ({
  id: row.id,
  title: row.title,
  filename: row.filename,
  kind: row.kind as DocumentKind,
  mimeType: row.mimeType,
  sizeBytes: row.sizeBytes,
  sha256: row.sha256,
  status: asStatus(row.status),
  errorReason: row.errorReason,
  pageCount: row.pageCount,
  charCount: row.charCount,
  chunkCount: row.chunkCount,
  indexVersion: row.indexVersion,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  indexedAt: row.indexedAt,
  uploadedBy: row.uploadedById ? (uploaders.get(row.uploadedById) ?? { id: row.uploadedById, name: null }) : null,
  canDelete: canDelete(ctx, row),
});

const dtoOf = async (ctx: Scope, row: DocumentRow) => toDto(ctx, row, await uploadersOf([row]));

const requireRole = (ctx: Scope, min: TRole) => {
  if (!hasRole(ctx.role, min)) throw forbidden("roleTooLow", `Requires role ${min}`);
};

const findDocument = async (ctx: Scope, id: string): Promise<DocumentRow> => {
  // tenantId in the where clause: another tenant's id is simply not found.
  const row = await db.document.findFirst({ where: { id, tenantId: ctx.tenantId }, select: DOCUMENT_SELECT });
  if (!row) throw notFound("Document");
  return row;
};

// ─── names ─────────────────────────────────────────────────────────────────

// C0/C1 controls, DEL, and the Unicode format/separator characters that can
// reorder or hide text in a file name (bidi overrides, zero-width, BOM).
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const truncate = (s: string, max: number) => {
  const chars = Array.from(s); // by code point: never split a surrogate pair
  return chars.length <= max ? s : chars.slice(0, max).join("");
};

/**
 * A display-safe file name: the last path component (either separator), no
 * control or bidi characters, trimmed, at most 200 characters (keeping the
 * extension when cutting). Empty → "untitled".
 */
export const sanitizeFilename = (raw: string): string => {
  const base = (raw.normalize("NFC").split(/[\\/]/).pop() ?? "").replace(UNSAFE_CHARS, "").replace(/\s+/g, " ").trim();
  const name = base === "." || base === ".." ? "" : base;
  if (name.length === 0) return "untitled";
  if (Array.from(name).length <= MAX_FILENAME_CHARS) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  return truncate(name.slice(0, name.length - ext.length), MAX_FILENAME_CHARS - ext.length).trimEnd() + ext;
};

const sanitizeTitle = (raw: string | null | undefined): string | null => {
  if (raw === null || raw === undefined) return null;
  const t = truncate(raw.normalize("NFC").replace(UNSAFE_CHARS, "").replace(/\s+/g, " ").trim(), MAX_TITLE_CHARS).trim();
  return t.length > 0 ? t : null;
};

/** The title when none is given: the file name without its extension. */
const titleFromFilename = (filename: string) => {
  const dot = filename.lastIndexOf(".");
  return (dot > 0 ? filename.slice(0, dot) : filename).trim() || filename;
};

// ─── upload ────────────────────────────────────────────────────────────────

export type UploadDocumentInput = { filename: string; bytes: Uint8Array; title?: string | null };
export type UploadDocumentResult = { document: DocumentDto; duplicate: boolean };
/** Test seam: which storage to write to (defaults to the configured one). */
export type DocumentDeps = { storage?: ObjectStorage };

const usedBytes = async (tx: Prisma.TransactionClient | typeof db, tenantId: string) =>
  (await tx.document.aggregate({ where: { tenantId }, _sum: { sizeBytes: true } }))._sum.sizeBytes ?? 0;

const quotaError = (used: number, size: number, quota: number) =>
  new KnowledgeError("storageQuotaExceeded", `The workspace's documents would use ${used + size} of ${quota} bytes`);

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Deletes an object, logging (not throwing) when that fails: the caller is already handling a failure. */
const discardObject = async (storage: ObjectStorage, key: string, tenantId: string, why: string) => {
  try {
    await storage.delete(key);
  } catch (err) {
    // The only way an orphan can remain; its key names tenant and document (runbook: storage).
    logger.error({ err, tenantId, storageKey: key, why }, "could not delete a stored original: orphaned object");
  }
};

/** Sends the ingestion event; false (logged) when the background engine could not be reached. */
const sendIngest = async (row: { id: string; tenantId: string; indexVersion: number }): Promise<boolean> => {
  try {
    await sendJobEvent({ name: "knowledge/document.ingest", data: { tenantId: row.tenantId, documentId: row.id, indexVersion: row.indexVersion } });
    return true;
  } catch (err) {
    logger.error({ err, tenantId: row.tenantId, documentId: row.id }, "could not send knowledge/document.ingest; the document stays queued (re-index resends it)");
    return false;
  }
};

/**
 * Stores a new document and queues its ingestion. The type is decided by the
 * content (detectKind), never by the name. The same content already in the
 * workspace is not stored again: the existing document comes back with
 * `duplicate: true`. Quota and duplicates are re-checked under a per-tenant
 * advisory lock, so parallel uploads cannot together exceed the quota.
 */
export const uploadDocument = async (ctx: TenantCtx, input: UploadDocumentInput, deps: DocumentDeps = {}): Promise<UploadDocumentResult> => {
  requireRole(ctx, "MEMBER");
  const storage = deps.storage ?? objectStorage();
  const { maxFileBytes, quotaBytes } = knowledgeLimits();
  const bytes = input.bytes;
  const size = bytes.byteLength;
  if (size === 0) throw new KnowledgeError("fileEmpty", "The file is empty");
  if (size > maxFileBytes) throw new KnowledgeError("fileTooLarge", `The file exceeds ${maxFileBytes} bytes`);
  const detected = detectKind(bytes);
  if (!detected) throw new KnowledgeError("unsupportedFileType", "The file's content is not a supported document type");
  // detectKind calls whitespace-only content "text"; there is nothing to index in it.
  if (detected.kind === "text" && new TextDecoder().decode(bytes).trim() === "") throw new KnowledgeError("fileEmpty", "The file has no content");

  const filename = sanitizeFilename(input.filename);
  const title = sanitizeTitle(input.title) ?? titleFromFilename(filename);
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  // Fast paths before writing anything (re-checked under the lock below).
  const existing = await db.document.findUnique({ where: { tenantId_sha256: { tenantId: ctx.tenantId, sha256 } }, select: DOCUMENT_SELECT });
  if (existing) return { document: await dtoOf(ctx, existing), duplicate: true };
  const usedBefore = await usedBytes(db, ctx.tenantId);
  if (usedBefore + size > quotaBytes) throw quotaError(usedBefore, size, quotaBytes);

  const id = randomUUID();
  const storageKey = documentOriginalKey(ctx.tenantId, id);
  try {
    await storage.put(storageKey, bytes, { contentType: detected.mimeType });
  } catch (err) {
    // A put that failed on our side may still have landed (e.g. a timeout): remove it.
    await discardObject(storage, storageKey, ctx.tenantId, "put failed");
    logger.error({ err, tenantId: ctx.tenantId, storageKey }, "storing a document original failed");
    throw new AppError("SERVICE_UNAVAILABLE", "storageUnavailable", "The document could not be stored; try again", { cause: err });
  }

  let outcome: { row: DocumentRow; duplicate: boolean };
  try {
    outcome = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`knowledge:${ctx.tenantId}`}))`;
      const dup = await tx.document.findUnique({ where: { tenantId_sha256: { tenantId: ctx.tenantId, sha256 } }, select: DOCUMENT_SELECT });
      if (dup) return { row: dup, duplicate: true };
      const used = await usedBytes(tx, ctx.tenantId);
      if (used + size > quotaBytes) throw quotaError(used, size, quotaBytes);
      const row = await tx.document.create({
        data: {
          id,
          tenantId: ctx.tenantId,
          uploadedById: ctx.userId,
          title,
          filename,
          kind: detected.kind,
          mimeType: detected.mimeType,
          sizeBytes: size,
          sha256,
          storageKey,
          status: "queued",
          // The first index is version 1; every re-index bumps it.
          indexVersion: 1,
        },
        select: DOCUMENT_SELECT,
      });
      return { row, duplicate: false };
    });
  } catch (err) {
    await discardObject(storage, storageKey, ctx.tenantId, "row insert failed");
    // A writer that bypassed the lock (or another instance of this code racing
    // on a stale read) inserted the same content first: that one wins.
    if (isUniqueViolation(err)) {
      const winner = await db.document.findUnique({ where: { tenantId_sha256: { tenantId: ctx.tenantId, sha256 } }, select: DOCUMENT_SELECT });
      if (winner) return { document: await dtoOf(ctx, winner), duplicate: true };
    }
    throw err;
  }
  if (outcome.duplicate) {
    await discardObject(storage, storageKey, ctx.tenantId, "duplicate content");
    return { document: await dtoOf(ctx, outcome.row), duplicate: true };
  }

  const row = outcome.row;
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "document.upload",
    targetType: "document",
    targetId: row.id,
    metadata: { filename: row.filename, kind: row.kind, sizeBytes: row.sizeBytes },
    meta: ctx.meta,
  });
  await sendIngest(row);
  return { document: await dtoOf(ctx, row), duplicate: false };
};

// ─── list, get, usage ──────────────────────────────────────────────────────

export const ZListDocumentsInput = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional(),
  query: z.string().trim().max(MAX_SEARCH_CHARS).optional(),
  /** The last document id of the previous page. */
  cursor: z.string().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
});
export type ListDocumentsInput = z.input<typeof ZListDocumentsInput>;

export type DocumentCounts = Record<DocumentStatus | "total", number>;
export type ListDocumentsResult = { items: DocumentDto[]; nextCursor: string | null; counts: DocumentCounts };

/**
 * The workspace's documents, newest first, optionally filtered by status and
 * by a title/file-name search; `counts` are per status over the whole
 * workspace (for the filter chips), independent of filter and page.
 */
export const listDocuments = async (ctx: TenantCtx, raw: ListDocumentsInput = {}): Promise<ListDocumentsResult> => {
  requireRole(ctx, "VIEWER");
  const parsed = ZListDocumentsInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", z.prettifyError(parsed.error));
  const { status, query, cursor, limit } = parsed.data;
  const where: Prisma.DocumentWhereInput = {
    tenantId: ctx.tenantId,
    ...(status ? { status } : {}),
    ...(query ? { OR: [{ title: { contains: query, mode: "insensitive" } }, { filename: { contains: query, mode: "insensitive" } }] } : {}),
  };
  let cursorWhere: Prisma.DocumentWhereInput = {};
  if (cursor) {
    const at = await db.document.findFirst({ where: { id: cursor, tenantId: ctx.tenantId }, select: { id: true, createdAt: true } });
    if (at) cursorWhere = { OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] };
  }
  const [rows, grouped] = await Promise.all([
    db.document.findMany({ where: { AND: [where, cursorWhere] }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit + 1, select: DOCUMENT_SELECT }),
    db.document.groupBy({ by: ["status"], where: { tenantId: ctx.tenantId }, _count: { _all: true } }),
  ]);
  const page = rows.slice(0, limit);
  const uploaders = await uploadersOf(page);
  const counts: DocumentCounts = { queued: 0, processing: 0, ready: 0, failed: 0, total: 0 };
  for (const g of grouped) {
    counts[asStatus(g.status)] += g._count._all;
    counts.total += g._count._all;
  }
  return { items: page.map((r) => toDto(ctx, r, uploaders)), nextCursor: rows.length > limit ? page.at(-1)!.id : null, counts };
};

export const getDocument = async (ctx: TenantCtx, input: { id: string }): Promise<DocumentDto> => {
  requireRole(ctx, "VIEWER");
  return dtoOf(ctx, await findDocument(ctx, input.id));
};

export type KnowledgeUsage = { usedBytes: number; quotaBytes: number; documentCount: number };

/** Bytes the workspace's originals use against its quota, and how many documents it has. */
export const getKnowledgeUsage = async (ctx: TenantCtx): Promise<KnowledgeUsage> => {
  requireRole(ctx, "VIEWER");
  const agg = await db.document.aggregate({ where: { tenantId: ctx.tenantId }, _sum: { sizeBytes: true }, _count: { _all: true } });
  return { usedBytes: agg._sum.sizeBytes ?? 0, quotaBytes: knowledgeLimits().quotaBytes, documentCount: agg._count._all };
};

// ─── delete, re-index ──────────────────────────────────────────────────────

/**
 * Deletes a document: its row and chunks (cascade, embeddings with them) in
 * one statement, THEN its stored original.
 *
 * Why this order: deleting the object first would, if the transaction then
 * failed, leave a listed document whose original is gone (re-index and
 * download broken, visibly half-deleted). Row first means the user-visible
 * state is all-or-nothing; the only possible leftover is an unreferenced
 * object when the storage delete fails. That is logged and recorded in the
 * audit event (`originalDeleted: false` with the key), so it is never a silent
 * leak: docs/runbooks/storage.md shows how to find and remove such objects.
 */
export const deleteDocument = async (ctx: TenantCtx, input: { id: string }, deps: DocumentDeps = {}): Promise<{ id: string; originalDeleted: boolean }> => {
  requireRole(ctx, "MEMBER");
  const storage = deps.storage ?? objectStorage();
  const row = await findDocument(ctx, input.id);
  if (!canDelete(ctx, row)) throw forbidden("forbidden", "Only the uploader or an admin can delete a document");
  // One statement: the chunks (and their embeddings) go with the row by ON DELETE CASCADE, atomically.
  const { count } = await db.document.deleteMany({ where: { id: row.id, tenantId: ctx.tenantId } });
  if (count === 0) throw notFound("Document"); // deleted concurrently
  let originalDeleted = true;
  try {
    await storage.delete(row.storageKey);
  } catch (err) {
    originalDeleted = false;
    logger.error({ err, tenantId: ctx.tenantId, documentId: row.id, storageKey: row.storageKey }, "document deleted but its stored original was not: orphaned object");
  }
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "document.delete",
    targetType: "document",
    targetId: row.id,
    metadata: { filename: row.filename, kind: row.kind, sizeBytes: row.sizeBytes, originalDeleted, ...(originalDeleted ? {} : { storageKey: row.storageKey }) },
    meta: ctx.meta,
  });
  return { id: row.id, originalDeleted };
};

/**
 * Queues the document for indexing again: a new indexVersion (chunks of older
 * runs are then ignored and replaced), status queued, and a new event. When
 * the event cannot be sent the caller gets SERVICE_UNAVAILABLE jobsUnavailable
 * and may simply try again; the document stays queued.
 */
export const reindexDocument = async (ctx: TenantCtx, input: { id: string }): Promise<DocumentDto> => {
  requireRole(ctx, "MEMBER");
  const row = await findDocument(ctx, input.id);
  const updated = await db.document.update({
    where: { id: row.id, tenantId: ctx.tenantId },
    data: { indexVersion: { increment: 1 }, status: "queued", errorReason: null },
    select: DOCUMENT_SELECT,
  });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "document.reindex",
    targetType: "document",
    targetId: row.id,
    metadata: { filename: row.filename, kind: row.kind, sizeBytes: row.sizeBytes, indexVersion: updated.indexVersion },
    meta: ctx.meta,
  });
  await sendJobEvent({ name: "knowledge/document.ingest", data: { tenantId: ctx.tenantId, documentId: updated.id, indexVersion: updated.indexVersion } });
  return dtoOf(ctx, updated);
};

// ─── download ──────────────────────────────────────────────────────────────

export type DocumentOriginal = { id: string; filename: string; mimeType: string; sizeBytes: number; bytes: Uint8Array };

/**
 * The stored original, for download (a sensitive read: audited as
 * `document.download`). A row whose object is missing is NOT_FOUND (and logged:
 * that should never happen, see the upload's ordering).
 */
export const readOriginal = async (ctx: TenantCtx, input: { id: string }, deps: DocumentDeps = {}): Promise<DocumentOriginal> => {
  requireRole(ctx, "VIEWER");
  const storage = deps.storage ?? objectStorage();
  const row = await findDocument(ctx, input.id);
  let bytes: Uint8Array;
  try {
    bytes = await storage.get(row.storageKey);
  } catch (err) {
    if (isObjectNotFound(err)) {
      logger.error({ tenantId: ctx.tenantId, documentId: row.id, storageKey: row.storageKey }, "a document's stored original is missing");
      throw notFound("Document original");
    }
    logger.error({ err, tenantId: ctx.tenantId, documentId: row.id }, "reading a document original failed");
    throw new AppError("SERVICE_UNAVAILABLE", "storageUnavailable", "The document could not be read; try again", { cause: err });
  }
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "document.download",
    targetType: "document",
    targetId: row.id,
    metadata: { filename: row.filename, kind: row.kind, sizeBytes: row.sizeBytes },
    meta: ctx.meta,
  });
  return { id: row.id, filename: row.filename, mimeType: row.mimeType, sizeBytes: bytes.byteLength, bytes };
};
