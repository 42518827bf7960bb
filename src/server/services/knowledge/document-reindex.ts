import "server-only";
import { db } from "~/server/db/client";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { sendJobEvent } from "../jobs/send";
import { DOCUMENT_SELECT, dtoOf, findDocument, requireRole, type DocumentDto } from "./documents";

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
