import "server-only";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { storageForRegion, type ObjectStorage } from "~/server/infra/storage";
import { getObjectStream } from "~/server/infra/storage/streaming";
import type { TenantCtx } from "../../context";
import { recordAudit } from "../../audit/audit";
import { openArchiveStream } from "./archive-cipher";
import { mayAccessExport } from "./requests";
import { checkExportLink } from "./signed-link";

/**
 * Opens a ready export's archive for the download route: the link's signature must match this
 * workspace and be unexpired, the caller must be its requester (or an admin/owner, for a workspace
 * export), and every download is audited. Refusals carry reasons the page translates. The archive
 * is read from the storage of the region it was written to (DataExport.storageRegion) and opened
 * as it streams (archive-cipher.ts): the bytes served are the zip whose SHA-256 the row records.
 * One that no longer decrypts (its workspace's keys destroyed, or the object replaced) is refused
 * with exportUnreadable before anything is sent.
 */
export const openExportDownload = async (ctx: TenantCtx, input: { exportId: string; expires: string | null; sig: string | null }, deps: { storage?: ObjectStorage } = {}) => {
  const check = checkExportLink({ ...input, tenantId: ctx.tenantId });
  if (check === "invalid") throw new AppError("FORBIDDEN", "exportLinkInvalid", "This download link is not valid");
  if (check === "expired") throw new AppError("FORBIDDEN", "exportLinkExpired", "This download link has expired; ask for a new one");
  const row = await db.dataExport.findFirst({ where: { id: input.exportId, tenantId: ctx.tenantId } });
  if (!row || !mayAccessExport(ctx, row)) throw notFound("Export");
  if (row.status !== "ready" || !row.storageKey || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) throw new AppError("PRECONDITION_FAILED", "exportExpired", "This export is no longer available");
  const stored = await getObjectStream(deps.storage ?? storageForRegion(row.storageRegion), row.storageKey);
  const body = await openArchiveStream(row, stored);
  await recordAudit({ tenantId: ctx.tenantId, actorId: ctx.userId, actorType: "USER", action: "data_export.downloaded", targetType: "data_export", targetId: row.id, metadata: { scope: row.scope, sizeBytes: row.sizeBytes }, meta: ctx.meta });
  return { body, sizeBytes: row.sizeBytes, filename: `ocsuite-${ctx.tenantSlug}-${row.scope}-${row.createdAt.toISOString().slice(0, 10)}.zip` };
};
