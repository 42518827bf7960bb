import "server-only";
import { emailLocale, emailTranslator } from "~/i18n/email-translator";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { sendMail } from "~/server/infra/mail";
import { storageForRegion, type ObjectStorage } from "~/server/infra/storage";
import { recordAudit } from "../../audit/audit";

/*
 * What happens to an export after it is built: the requester is told (ready or failed, by e-mail
 * in their language; the privacy panel shows the same), a failed build is recorded with a stable
 * reason the panel translates, and expired archives are deleted from storage (hourly cron), each
 * from the region's storage it was written to.
 */

/** Reasons the panel and the e-mail explain; anything else is recorded as exportFailed. */
const EXPORT_FAILURE_REASONS = ["exportTooLarge", "exportFailed", "jobsUnavailable", "tenantSuspended"] as const;

export const markExportFailed = async (exportId: string, reason: string) => {
  const errorReason = (EXPORT_FAILURE_REASONS as readonly string[]).includes(reason) ? reason : "exportFailed";
  const { count } = await db.dataExport.updateMany({ where: { id: exportId, status: { in: ["queued", "running"] } }, data: { status: "failed", errorReason, completedAt: new Date() } });
  const row = await db.dataExport.findUnique({ where: { id: exportId }, select: { tenantId: true, scope: true } });
  if (count === 1 && row) {
    await recordAudit({ tenantId: row.tenantId, actorType: "SYSTEM", action: "data_export.failed", targetType: "data_export", targetId: exportId, result: "FAILURE", metadata: { scope: row.scope, reason: errorReason } });
  }
  return { errorReason };
};

/** Where the requester finds their exports: the privacy centre (workspace) or their account page (user). */
const pageOf = (appUrl: string, locale: string, scope: string, slug: string) =>
  `${appUrl.replace(/\/$/, "")}/${locale}${scope === "workspace" ? `/t/${slug}/settings/privacy` : "/account"}`;

/** E-mails the requester that their export is ready, or failed and what to do. */
export const notifyExportRequester = async (exportId: string, opts: { appUrl: string; locale?: string | null }) => {
  const x = await db.dataExport.findUnique({ where: { id: exportId }, include: { tenant: { select: { name: true, slug: true } } } });
  if (!x || (x.status !== "ready" && x.status !== "failed")) return { sent: false };
  const user = await db.user.findUnique({ where: { id: x.requestedById }, select: { email: true, locale: true } });
  if (!user) return { sent: false };
  const locale = emailLocale(user.locale, opts.locale);
  const t = emailTranslator(locale);
  const link = pageOf(opts.appUrl, locale, x.scope, x.tenant.slug);
  const workspace = x.tenant.name;
  const mail =
    x.status === "ready"
      ? { subject: t("emails.dataExportReady.subject", { workspace }), text: t("emails.dataExportReady.body", { workspace, link, hours: Math.round(((x.expiresAt?.getTime() ?? Date.now()) - Date.now()) / 3_600_000) }) }
      : { subject: t("emails.dataExportFailed.subject", { workspace }), text: t("emails.dataExportFailed.body", { workspace, link, reason: t(`errors.${x.errorReason === "exportTooLarge" ? "exportTooLarge" : "exportFailed"}`) }) };
  await sendMail({ to: user.email, ...mail });
  return { sent: true };
};

/**
 * Deletes the archives of exports past expiresAt and marks them expired (batched; idempotent). The
 * archive key goes too: a copy of the object left in a bucket version or backup can no longer be
 * opened, whatever happens to the workspace.
 */
export const expireExports = async (opts: { now?: Date; storage?: ObjectStorage; batch?: number } = {}) => {
  const now = opts.now ?? new Date();
  let expired = 0;
  for (;;) {
    const due = await db.dataExport.findMany({ where: { status: "ready", expiresAt: { lte: now } }, select: { id: true, tenantId: true, storageKey: true, storageRegion: true }, take: opts.batch ?? 100 });
    if (due.length === 0) break;
    for (const x of due) {
      if (x.storageKey) await (opts.storage ?? storageForRegion(x.storageRegion)).delete(x.storageKey);
      await db.dataExport.update({ where: { id: x.id }, data: { status: "expired", storageKey: null, archiveKeyCiphertext: null, archiveKeyVersion: null } });
      await recordAudit({ tenantId: x.tenantId, actorType: "SYSTEM", action: "data_export.expired", targetType: "data_export", targetId: x.id });
      expired += 1;
    }
  }
  if (expired > 0) logger.info({ expired }, "expired data exports deleted");
  return { expired };
};
