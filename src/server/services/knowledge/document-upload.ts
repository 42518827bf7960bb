import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { documentOriginalKey, storageForRegion, storageRegionFor, type ObjectStorage } from "~/server/infra/storage";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { sendJobEvent } from "../jobs/send";
import { sanitizeFilename, sanitizeTitle, titleFromFilename } from "./document-names";
import { DOCUMENT_SELECT, dtoOf, knowledgeLimits, requireRole, type DocumentDeps, type DocumentDto, type DocumentRow } from "./documents";
import { KnowledgeError } from "./errors";
import { detectKind, type DocumentKind } from "./extract";
import { sealOriginal } from "./original-cipher";

/*
 * Uploading a document (MEMBER+). "Nothing half-stored" (see documents.ts):
 * the original is written under a fresh document id first, then the row is
 * inserted; any failure after the write deletes the object again.
 */

export type UploadDocumentInput = { filename: string; bytes: Uint8Array; title?: string | null };
export type UploadDocumentResult = { document: DocumentDto; duplicate: boolean };

const usedBytes = async (tx: Prisma.TransactionClient | typeof db, tenantId: string) =>
  (await tx.document.aggregate({ where: { tenantId }, _sum: { sizeBytes: true } }))._sum.sizeBytes ?? 0;

const quotaError = (used: number, size: number, quota: number) =>
  new KnowledgeError("storageQuotaExceeded", `The workspace's documents would use ${used + size} of ${quota} bytes`);

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

const findBySha = (tenantId: string, sha256: string, tx: Prisma.TransactionClient | typeof db = db) =>
  tx.document.findUnique({ where: { tenantId_sha256: { tenantId, sha256 } }, select: DOCUMENT_SELECT });

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

/** The content's type, decided by the bytes (never the name); refuses empty, oversized and unsupported files. */
const checkedKind = (bytes: Uint8Array, maxFileBytes: number): { kind: DocumentKind; mimeType: string } => {
  const size = bytes.byteLength;
  if (size === 0) throw new KnowledgeError("fileEmpty", "The file is empty");
  if (size > maxFileBytes) throw new KnowledgeError("fileTooLarge", `The file exceeds ${maxFileBytes} bytes`);
  const detected = detectKind(bytes);
  if (!detected) throw new KnowledgeError("unsupportedFileType", "The file's content is not a supported document type");
  // detectKind calls whitespace-only content "text"; there is nothing to index in it.
  if (detected.kind === "text" && new TextDecoder().decode(bytes).trim() === "") throw new KnowledgeError("fileEmpty", "The file has no content");
  return detected;
};

/** Stores the sealed original (original-cipher.ts): the object is ciphertext, whatever the document's type. */
const putOriginal = async (storage: ObjectStorage, storageKey: string, sealed: Uint8Array, tenantId: string) => {
  try {
    await storage.put(storageKey, sealed, { contentType: "application/octet-stream" });
  } catch (err) {
    // A put that failed on our side may still have landed (e.g. a timeout): remove it.
    await discardObject(storage, storageKey, tenantId, "put failed");
    logger.error({ err, tenantId, storageKey }, "storing a document original failed");
    throw new AppError("SERVICE_UNAVAILABLE", "storageUnavailable", "The document could not be stored; try again", { cause: err });
  }
};

type NewDocument = {
  id: string;
  tenantId: string;
  uploadedById: string;
  title: string;
  filename: string;
  kind: DocumentKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  storageRegion: string | null;
  contentKeyCiphertext: string;
  contentKeyVersion: number;
};

/**
 * Inserts the row under a per-tenant advisory lock, re-checking duplicates and
 * the quota there, so parallel uploads cannot together exceed the quota.
 */
const insertUnderLock = (data: NewDocument, quotaBytes: number): Promise<{ row: DocumentRow; duplicate: boolean }> =>
  db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`knowledge:${data.tenantId}`}))`;
    const dup = await findBySha(data.tenantId, data.sha256, tx);
    if (dup) return { row: dup, duplicate: true };
    const used = await usedBytes(tx, data.tenantId);
    if (used + data.sizeBytes > quotaBytes) throw quotaError(used, data.sizeBytes, quotaBytes);
    // The first index is version 1; every re-index bumps it.
    const row = await tx.document.create({ data: { ...data, status: "queued", indexVersion: 1 }, select: DOCUMENT_SELECT });
    return { row, duplicate: false };
  });

/** insertUnderLock, removing the written original again when no new row keeps it. */
const insertKeepingNothingHalfStored = async (storage: ObjectStorage, data: NewDocument, quotaBytes: number) => {
  let outcome: { row: DocumentRow; duplicate: boolean };
  try {
    outcome = await insertUnderLock(data, quotaBytes);
  } catch (err) {
    await discardObject(storage, data.storageKey, data.tenantId, "row insert failed");
    // A writer that bypassed the lock (or another instance of this code racing
    // on a stale read) inserted the same content first: that one wins.
    if (isUniqueViolation(err)) {
      const winner = await findBySha(data.tenantId, data.sha256);
      if (winner) return { row: winner, duplicate: true };
    }
    throw err;
  }
  if (outcome.duplicate) await discardObject(storage, data.storageKey, data.tenantId, "duplicate content");
  return outcome;
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
  // Data residency: a new original goes to the storage of the workspace's preferred region when the
  // operator configured one (STORAGE_REGIONS), else to the default storage; the row records which.
  const { dataResidency } = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { dataResidency: true } });
  const storageRegion = storageRegionFor(dataResidency);
  const storage = deps.storage ?? storageForRegion(storageRegion);
  const { maxFileBytes, quotaBytes } = knowledgeLimits();
  const bytes = input.bytes;
  const size = bytes.byteLength;
  const detected = checkedKind(bytes, maxFileBytes);
  const filename = sanitizeFilename(input.filename);
  const title = sanitizeTitle(input.title) ?? titleFromFilename(filename);
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  // Fast paths before writing anything (re-checked under the lock).
  const existing = await findBySha(ctx.tenantId, sha256);
  if (existing) return { document: await dtoOf(ctx, existing), duplicate: true };
  const usedBefore = await usedBytes(db, ctx.tenantId);
  if (usedBefore + size > quotaBytes) throw quotaError(usedBefore, size, quotaBytes);

  const id = randomUUID();
  const storageKey = documentOriginalKey(ctx.tenantId, id);
  const { sealed, columns } = await sealOriginal(ctx.tenantId, id, bytes);
  await putOriginal(storage, storageKey, sealed, ctx.tenantId);
  const data: NewDocument = { id, tenantId: ctx.tenantId, uploadedById: ctx.userId, title, filename, kind: detected.kind, mimeType: detected.mimeType, sizeBytes: size, sha256, storageKey, storageRegion, ...columns };
  const { row, duplicate } = await insertKeepingNothingHalfStored(storage, data, quotaBytes);
  if (duplicate) return { document: await dtoOf(ctx, row), duplicate: true };

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
