import "server-only";
import { z } from "zod";
import { hasRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { dataExportRequested } from "~/server/events/catalog";
import type { TenantCtx } from "../../context";
import { recordAudit } from "../../audit/audit";
import { sendJobEvent } from "../../jobs/send";
import { EXPORT_SCOPES, type TExportScope, type TExportStatus } from "./format";
import { EXPORT_LINK_TTL_SECONDS, signExportLink } from "./signed-link";

/*
 * Export requests, their progress and download links (the dataExport router's services).
 * Rules: any member may export their own data (scope "user"); the whole workspace takes an admin
 * or owner. A workspace export is visible to its requester and to every admin/owner; a user export
 * only to its requester (it holds their private conversations, which admins never see either).
 * One export of a scope at a time per requester; requests count against the "export" workload
 * limit (RATE_LIMIT_EXPORTS_*).
 */

export const ZRequestExportInput = z.object({ scope: z.enum(EXPORT_SCOPES), locale: z.string().max(20).optional() });

export type TDataExport = {
  id: string;
  scope: TExportScope;
  status: TExportStatus;
  requestedByMe: boolean;
  progressDone: number;
  progressTotal: number;
  sizeBytes: number | null;
  errorReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
};

const LIST_LIMIT = 20;

type Row = Awaited<ReturnType<typeof db.dataExport.findFirstOrThrow>>;
const dtoOf = (ctx: TenantCtx, r: Row): TDataExport => ({
  id: r.id,
  scope: r.scope as TExportScope,
  status: r.status as TExportStatus,
  requestedByMe: r.requestedById === ctx.userId,
  progressDone: r.progressDone,
  progressTotal: r.progressTotal,
  sizeBytes: r.sizeBytes,
  errorReason: r.errorReason,
  createdAt: r.createdAt,
  completedAt: r.completedAt,
  expiresAt: r.expiresAt,
});

/** The exports this member may see: their own, plus the workspace's for admins. */
const visibleWhere = (ctx: TenantCtx) =>
  hasRole(ctx.role, "ADMIN") ? { tenantId: ctx.tenantId, OR: [{ requestedById: ctx.userId }, { scope: "workspace" }] } : { tenantId: ctx.tenantId, requestedById: ctx.userId };

/** May this member download (and so see) this export? The download route asks the same question. */
export const mayAccessExport = (ctx: Pick<TenantCtx, "userId" | "role">, x: { scope: string; requestedById: string }) =>
  x.requestedById === ctx.userId || (x.scope === "workspace" && hasRole(ctx.role, "ADMIN"));

export const requestExport = async (ctx: TenantCtx, input: z.input<typeof ZRequestExportInput> & { appUrl: string }) => {
  const { scope, locale } = ZRequestExportInput.parse(input);
  if (scope === "workspace" && !hasRole(ctx.role, "ADMIN")) throw forbidden("roleTooLow", "Exporting the whole workspace takes an admin or owner");
  const busy = await db.dataExport.findFirst({ where: { tenantId: ctx.tenantId, requestedById: ctx.userId, scope, status: { in: ["queued", "running"] } }, select: { id: true } });
  if (busy) throw new AppError("CONFLICT", "exportInProgress", "An export of this kind is already being built");
  await enforceWorkloadLimit("export", actorOf(ctx));
  const row = await db.dataExport.create({ data: { tenantId: ctx.tenantId, requestedById: ctx.userId, scope } });
  await recordAudit({ tenantId: ctx.tenantId, actorId: ctx.userId, actorType: "USER", action: "data_export.requested", targetType: "data_export", targetId: row.id, metadata: { scope }, meta: ctx.meta });
  try {
    await sendJobEvent({ name: dataExportRequested.name, data: { tenantId: ctx.tenantId, exportId: row.id, appUrl: input.appUrl, locale: locale ?? null } });
  } catch (err) {
    // Nothing will build it: say so on the row instead of leaving it queued for ever.
    await db.dataExport.update({ where: { id: row.id }, data: { status: "failed", errorReason: "jobsUnavailable" } });
    throw err;
  }
  return dtoOf(ctx, row);
};

export const listExports = async (ctx: TenantCtx) => {
  const rows = await db.dataExport.findMany({ where: visibleWhere(ctx), orderBy: { createdAt: "desc" }, take: LIST_LIMIT });
  return rows.map((r) => dtoOf(ctx, r));
};

const visibleExport = async (ctx: TenantCtx, exportId: string) => {
  const row = await db.dataExport.findFirst({ where: { id: exportId, tenantId: ctx.tenantId } });
  // Someone else's user export answers as if it did not exist.
  if (!row || !mayAccessExport(ctx, row)) throw notFound("Export");
  return row;
};

export const getExport = async (ctx: TenantCtx, input: { exportId: string }) => dtoOf(ctx, await visibleExport(ctx, input.exportId));

/** A signed download link, valid EXPORT_LINK_TTL_SECONDS (never past the archive's expiry). */
export const exportLink = async (ctx: TenantCtx, input: { exportId: string }) => {
  const row = await visibleExport(ctx, input.exportId);
  if (row.status === "expired" || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) throw new AppError("PRECONDITION_FAILED", "exportExpired", "This export has expired; request a new one");
  if (row.status !== "ready" || !row.expiresAt) throw new AppError("PRECONDITION_FAILED", "exportNotReady", "This export is not ready");
  const expires = Math.floor(Math.min(Date.now() / 1000 + EXPORT_LINK_TTL_SECONDS, row.expiresAt.getTime() / 1000));
  const sig = signExportLink(row.id, ctx.tenantId, expires);
  await recordAudit({ tenantId: ctx.tenantId, actorId: ctx.userId, actorType: "USER", action: "data_export.link_issued", targetType: "data_export", targetId: row.id, metadata: { scope: row.scope, expires }, meta: ctx.meta });
  const url = `/api/t/${encodeURIComponent(ctx.tenantSlug)}/exports/${encodeURIComponent(row.id)}/download?expires=${expires}&sig=${sig}`;
  return { url, expiresAt: new Date(expires * 1000) };
};
