import "server-only";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";

// The platform admin's view of every audit chain (the platform's and each
// tenant's), newest first, and its CSV / JSON export. Filters name things the
// way an admin knows them (a workspace slug, an actor's email) and are
// resolved to ids here; an unknown slug or email matches nothing rather than
// everything.

export type AuditLogFilter = {
  /** A workspace slug or id; "platform" means the platform chain (events outside any tenant). */
  tenant?: string;
  /** The actor's email (exact, case-insensitive). */
  actor?: string;
  /** An action prefix, e.g. "admin." or "tenant.suspended". */
  action?: string;
  from?: Date;
  to?: Date;
};

const NOTHING: Prisma.AuditEventWhereInput = { id: { in: [] } };

const whereOf = async (f: AuditLogFilter): Promise<Prisma.AuditEventWhereInput> => {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.tenant) {
    if (f.tenant === "platform") and.push({ chain: "platform" });
    else {
      const tenant = await db.tenant.findFirst({ where: { OR: [{ slug: f.tenant.toLowerCase() }, { id: f.tenant }] }, select: { id: true } });
      if (!tenant) return NOTHING;
      and.push({ tenantId: tenant.id });
    }
  }
  if (f.actor) {
    const user = await db.user.findUnique({ where: { email: f.actor.trim().toLowerCase() }, select: { id: true } });
    if (!user) return NOTHING;
    and.push({ actorId: user.id });
  }
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.from || f.to) and.push({ createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } });
  return { AND: and };
};

const ORDER: Prisma.AuditEventOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

type EventRow = Prisma.AuditEventGetPayload<object>;

/** Adds the actor's email and the tenant's slug, which the rows only hold as ids. */
const enrich = async (rows: EventRow[]) => {
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => x !== null))];
  const tenantIds = [...new Set(rows.map((r) => r.tenantId).filter((x): x is string => x !== null))];
  const [users, tenants] = await Promise.all([
    actorIds.length ? db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } }) : [],
    tenantIds.length ? db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, slug: true } }) : [],
  ]);
  const email = new Map(users.map((u) => [u.id, u.email]));
  const slug = new Map(tenants.map((t) => [t.id, t.slug]));
  return rows.map((r) => ({
    id: r.id,
    chain: r.chain,
    seq: r.seq,
    createdAt: r.createdAt,
    tenantId: r.tenantId,
    tenantSlug: r.tenantId ? (slug.get(r.tenantId) ?? null) : null,
    actorId: r.actorId,
    actorEmail: r.actorId ? (email.get(r.actorId) ?? null) : null,
    actorType: r.actorType,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    result: r.result,
    ip: r.ip,
    userAgent: r.userAgent,
    metadata: (r.metadata ?? null) as Prisma.JsonValue,
    prevHash: r.prevHash,
    hash: r.hash,
  }));
};

export type AuditLogEntry = Awaited<ReturnType<typeof enrich>>[number];

/** One page of events, newest first; `nextCursor` is the id to pass for the next page. */
export const listAuditEvents = async (f: AuditLogFilter & { cursor?: string; take: number }) => {
  const where = await whereOf(f);
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: ORDER,
    take: f.take + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, f.take);
  return { items: await enrich(page), nextCursor: rows.length > f.take ? page[page.length - 1]!.id : null };
};

/** Every matching event, page by page, for streaming exports (memory stays at one page). */
export async function* auditEventsForExport(f: AuditLogFilter, pageSize = 500): AsyncGenerator<AuditLogEntry> {
  const where = await whereOf(f);
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where, orderBy: ORDER, take: pageSize, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    for (const e of await enrich(rows)) yield e;
    if (rows.length < pageSize) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

// ─── export formats ──────────────────────────────────────────────────────────

export const AUDIT_CSV_COLUMNS = [
  "id",
  "createdAt",
  "chain",
  "seq",
  "tenantId",
  "tenantSlug",
  "actorId",
  "actorEmail",
  "actorType",
  "action",
  "targetType",
  "targetId",
  "result",
  "ip",
  "userAgent",
  "metadata",
  "prevHash",
  "hash",
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break,
 * with quotes doubled. A value a spreadsheet would run as a formula (starting
 * with = + - @, or tab / carriage return, which some spreadsheets strip before
 * looking) is prefixed with ' so it is shown as text: audit rows carry
 * user-controlled strings (names, user agents, reasons).
 */
export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** A CSV record with its CRLF terminator (RFC 4180). */
export const csvRecord = (values: readonly unknown[]) => `${values.map(csvField).join(",")}\r\n`;

export const auditCsvHeader = () => csvRecord(AUDIT_CSV_COLUMNS);
export const auditCsvRow = (e: AuditLogEntry) => csvRecord(AUDIT_CSV_COLUMNS.map((c) => e[c]));
