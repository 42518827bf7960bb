import "server-only";
import { z } from "zod";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import type { TenantCtx } from "~/server/services/context";
import { SUPPORT_NOTICE_KIND } from "./sessions";

/*
 * In-app notices to a tenant's owners (today: "OC Suite support opened a
 * session"). One row per tenant, not per owner: the first owner to dismiss it
 * marks it read for all — the durable record is the audit trail, the notice
 * is only the nudge to look at it.
 */

const ZNoticeData = z.object({ sessionId: z.string(), reason: z.string(), expiresAt: z.string(), adminName: z.string().nullish(), adminEmail: z.string().nullish() });

/** Unread support notices of the tenant, newest first (callers are OWNERs; the router checks). */
export const listSupportNotices = async (ctx: TenantCtx) => {
  const rows = await db.tenantNotice.findMany({
    where: { tenantId: ctx.tenantId, kind: SUPPORT_NOTICE_KIND, readAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 5,
  });
  return rows.flatMap((r) => {
    const data = ZNoticeData.safeParse(r.data);
    if (!data.success) return [];
    return [{ id: r.id, createdAt: r.createdAt, sessionId: data.data.sessionId, reason: data.data.reason, expiresAt: new Date(data.data.expiresAt) }];
  });
};

/** Marks one of the tenant's notices read (another tenant's or an already dismissed one: NOT_FOUND). */
export const dismissSupportNotice = async (ctx: TenantCtx, input: { id: string }) => {
  const { count } = await db.tenantNotice.updateMany({ where: { id: input.id, tenantId: ctx.tenantId, readAt: null }, data: { readAt: new Date() } });
  if (count === 0) throw new AppError("NOT_FOUND", "notFound", "Notice not found");
  return { id: input.id };
};
