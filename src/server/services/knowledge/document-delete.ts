import "server-only";
import { db } from "~/server/db/client";
import { forbidden, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { storageForDocument } from "~/server/infra/storage";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { canDelete, findDocument, requireRole, type DocumentDeps } from "./documents";

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
  const row = await findDocument(ctx, input.id);
  const storage = deps.storage ?? storageForDocument(row);
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
