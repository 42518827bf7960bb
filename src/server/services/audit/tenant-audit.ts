import "server-only";
import { z } from "zod";
import { db, type ActorType } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { csvRecord } from "~/server/services/admin/audit-log";
import type { TenantCtx } from "~/server/services/context";
import { recordAudit, verifyAuditChain } from "./audit";

/*
 * A tenant's own audit trail, as its owners and admins see it: exactly the
 * events of the tenant's hash chain (chain = tenant id) — member, role, key,
 * setting, export and deletion events, and every support session of our staff
 * with its reason and what was read. Nothing from another chain can appear:
 * every query here filters by `chain = ctx.tenantId`.
 */

export const ACTOR_TYPES = ["USER", "PLATFORM_ADMIN", "SYSTEM"] as const;

export const ZTenantAuditFilter = z.object({
  /** Events whose action starts with this, e.g. "support_session." or "member.". */
  action: z.string().trim().max(100).optional(),
  /** Part of the actor's email (case-insensitive). */
  actor: z.string().trim().max(200).optional(),
  actorType: z.enum(ACTOR_TYPES).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
});
export type TTenantAuditFilter = z.infer<typeof ZTenantAuditFilter>;

export const ZTenantAuditListInput = ZTenantAuditFilter.extend({
  /** The seq of the last event of the previous page (events come newest first). */
  cursor: z.number().int().positive().optional(),
  take: z.number().int().min(1).max(200).default(50),
});

const NOTHING: Prisma.AuditEventWhereInput = { id: { in: [] } };

const whereOf = async (ctx: TenantCtx, f: TTenantAuditFilter): Promise<Prisma.AuditEventWhereInput> => {
  const and: Prisma.AuditEventWhereInput[] = [{ chain: ctx.tenantId }];
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.actorType) and.push({ actorType: f.actorType });
  if (f.actor) {
    const users = await db.user.findMany({ where: { email: { contains: f.actor.toLowerCase() } }, select: { id: true }, take: 500 });
    if (users.length === 0) return NOTHING;
    and.push({ actorId: { in: users.map((u) => u.id) } });
  }
  if (f.from || f.to) and.push({ createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } });
  return { AND: and };
};

type EventRow = Prisma.AuditEventGetPayload<object>;

const jsonObject = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The DTO a tenant sees. Our staff appear as who they are (the tenant is owed
 * that), but their network address and user agent are ours, not the
 * tenant's, and are left out.
 */
const toDto = async (rows: EventRow[]) => {
  const ids = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => x !== null))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }) : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => {
    const staff = r.actorType === "PLATFORM_ADMIN";
    const u = r.actorId ? byId.get(r.actorId) : undefined;
    return {
      id: r.id,
      seq: r.seq,
      createdAt: r.createdAt,
      actorType: r.actorType as ActorType,
      actorId: r.actorId,
      actorEmail: u?.email ?? null,
      actorName: u?.name ?? null,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      result: r.result,
      ip: staff ? null : r.ip,
      metadata: jsonObject(r.metadata),
    };
  });
};
export type TTenantAuditEvent = Awaited<ReturnType<typeof toDto>>[number];

/** The filter as an audit event records it (the criteria, never the events found). */
const filterMetadata = (f: TTenantAuditFilter) => ({
  action: f.action ?? null,
  actor: f.actor ?? null,
  actorType: f.actorType ?? null,
  from: f.from?.toISOString() ?? null,
  to: f.to?.toISOString() ?? null,
});

/**
 * One page of the tenant's events, newest first; `nextCursor` is the seq to pass for the next page.
 * Reading the audit trail is itself a sensitive read, recorded as `audit.viewed` with the filter:
 * once per search (the first page), not per page turned, so paging does not bury the trail in its
 * own views. Recorded after the query, so a page never lists its own view.
 */
export const listTenantAudit = async (ctx: TenantCtx, input: z.input<typeof ZTenantAuditListInput>) => {
  const f = ZTenantAuditListInput.parse(input);
  const where = await whereOf(ctx, f);
  const rows = await db.auditEvent.findMany({
    where: f.cursor ? { AND: [where, { seq: { lt: f.cursor } }] } : where,
    orderBy: { seq: "desc" },
    take: f.take + 1,
  });
  const page = rows.slice(0, f.take);
  if (!f.cursor) {
    await recordAudit({ tenantId: ctx.tenantId, actorId: ctx.userId, actorType: "USER", action: "audit.viewed", metadata: { filter: filterMetadata(f) }, meta: ctx.meta });
  }
  return { items: await toDto(page), nextCursor: rows.length > f.take ? page[page.length - 1]!.seq : null };
};

/** Recomputes the tenant's chain: ok, how many events were checked, and the first broken link. */
export const verifyTenantAudit = async (ctx: TenantCtx) => {
  const r = await verifyAuditChain(ctx.tenantId);
  return { ok: r.ok, checked: r.checked, firstBrokenSeq: r.firstBrokenSeq };
};

// ─── export ──────────────────────────────────────────────────────────────────

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type TExportFormat = (typeof EXPORT_FORMATS)[number];
/** An export carries at most this many events (the newest); narrow the filters for older ones. */
export const EXPORT_MAX_EVENTS = 50_000;

export const TENANT_AUDIT_CSV_COLUMNS = ["seq", "createdAt", "actorType", "actorEmail", "actorName", "action", "targetType", "targetId", "result", "ip", "metadata"] as const;

/**
 * The tenant's matching events (newest first, at most EXPORT_MAX_EVENTS) as
 * CSV (RFC 4180, formula-safe cells: the admin panel's csvRecord) or JSON.
 * The export itself is audited as `audit.exported` on the tenant's chain.
 */
export const exportTenantAudit = async (ctx: TenantCtx, input: { format: TExportFormat; filter: TTenantAuditFilter }) => {
  const filter = ZTenantAuditFilter.parse(input.filter);
  const where = await whereOf(ctx, filter);
  const events: TTenantAuditEvent[] = [];
  let cursor: number | undefined;
  while (events.length < EXPORT_MAX_EVENTS) {
    const rows = await db.auditEvent.findMany({
      where: cursor ? { AND: [where, { seq: { lt: cursor } }] } : where,
      orderBy: { seq: "desc" },
      take: Math.min(1_000, EXPORT_MAX_EVENTS - events.length),
    });
    events.push(...(await toDto(rows)));
    if (rows.length === 0 || rows.length < 1_000) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "audit.exported",
    metadata: {
      format: input.format,
      count: events.length,
      filter: filterMetadata(filter),
    },
    meta: ctx.meta,
  });
  if (input.format === "json") return { contentType: "application/json; charset=utf-8", body: `${JSON.stringify({ tenant: ctx.tenantSlug, events }, null, 2)}\n`, count: events.length };
  const body = csvRecord(TENANT_AUDIT_CSV_COLUMNS) + events.map((e) => csvRecord(TENANT_AUDIT_CSV_COLUMNS.map((c) => e[c]))).join("");
  return { contentType: "text/csv; charset=utf-8", body, count: events.length };
};
