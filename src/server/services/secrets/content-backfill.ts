import "server-only";
import { SEALED_PREFIX_PATTERN, SEALED_FIELDS } from "~/server/db/content-encryption";
import { db } from "~/server/db/client";
import { openTenantProfile, sealTenantProfile } from "~/server/db/keys/content-keys";
import { Prisma } from "~/server/db/generated/client";
import { SEARCH_INDEXES } from "~/server/db/search-index";
import { logger } from "~/server/infra/logger";
import { appendAuditEvent } from "../audit/audit";

/*
 * Seals the content rows written before content was sealed (ADR 0015): `npm run content:seal`
 * (with the originals, scripts/seal-originals.ts). Per model with sealed fields, the rows of which
 * a sealed field still holds plaintext, or whose blind index is missing, are read through the
 * app's client (which returns them as they are) and written back through it (which seals them and
 * writes their blind index), in id order, in batches: idempotent (a sealed row is not selected
 * again) and resumable (a rerun starts over and finds only what is left). A row edited between
 * the read and the write keeps the edit: the write is conditioned on its text fields being
 * unchanged (JSON fields are rewritten as read: they are never edited by users).
 */

export type ContentBackfillResult = { rows: number; perModel: Record<string, number> };

const delegate = (model: string) =>
  (db as unknown as Record<string, { findUnique: (a: object) => Promise<Record<string, unknown> | null>; updateMany: (a: object) => Promise<{ count: number }> }>)[
    model.charAt(0).toLowerCase() + model.slice(1)
  ]!;

/** The rows of `model` (id > afterId) that still need sealing: a plaintext sealed field or no blind index. */
const pendingIds = async (model: string, tenantId: string | undefined, afterId: string, limit: number): Promise<string[]> => {
  const fields = SEALED_FIELDS[model]!;
  const plain = Object.entries(fields).map(([f, kind]) =>
    kind === "json"
      ? Prisma.sql`(${Prisma.raw(`"${f}"`)} IS NOT NULL AND jsonb_typeof(${Prisma.raw(`"${f}"`)}) <> 'string')`
      : Prisma.sql`(${Prisma.raw(`"${f}"`)} IS NOT NULL AND ${Prisma.raw(`"${f}"`)} !~ ${SEALED_PREFIX_PATTERN})`,
  );
  const spec = SEARCH_INDEXES[model];
  if (spec) plain.push(Prisma.sql`${Prisma.raw(`"${spec.column}"`)} IS NULL`);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM ${Prisma.raw(`"${model}"`)}
    WHERE id > ${afterId} ${tenantId ? Prisma.sql`AND "tenantId" = ${tenantId}` : Prisma.empty} AND (${Prisma.join(plain, " OR ")})
    ORDER BY id LIMIT ${limit}`;
  return rows.map((r) => r.id);
};

const sealRow = async (model: string, id: string): Promise<boolean> => {
  const fields = SEALED_FIELDS[model]!;
  const names = Object.keys(fields);
  const select = Object.fromEntries(["tenantId", ...names].map((f) => [f, true]));
  // As stored first (the compare-and-set below), then opened (what is written back, sealed once).
  const textFields = names.filter((f) => fields[f] === "text");
  const raw = await db.$queryRaw<Record<string, unknown>[]>`SELECT ${Prisma.raw(["id", ...textFields].map((f) => `"${f}"`).join(", "))} FROM ${Prisma.raw(`"${model}"`)} WHERE id = ${id}`;
  const row = await delegate(model).findUnique({ where: { id }, select });
  if (!row || !raw[0]) return false;
  const data = Object.fromEntries(names.filter((f) => row[f] !== null).map((f) => [f, row[f]]));
  // Unchanged since read: every text field still holds what was read as stored (an edit in between wins).
  const unchanged = Object.fromEntries(textFields.map((f) => [f, raw[0]![f] ?? null]));
  const { count } = await delegate(model).updateMany({ where: { id, tenantId: row.tenantId, ...unchanged }, data });
  return count === 1;
};

/** TenantPersona is keyed by (tenantId, key), not id: its one sealed field, by that key. */
const sealPersonas = async (tenantId: string | undefined): Promise<number> => {
  let sealed = 0;
  const rows = await db.$queryRaw<{ tenantId: string; key: string; instructions: string }[]>`
    SELECT "tenantId", "key", "instructions" FROM "TenantPersona"
    WHERE "instructions" IS NOT NULL AND "instructions" !~ ${SEALED_PREFIX_PATTERN} ${tenantId ? Prisma.sql`AND "tenantId" = ${tenantId}` : Prisma.empty}`;
  for (const r of rows) {
    const { count } = await db.tenantPersona.updateMany({ where: { tenantId: r.tenantId, key: r.key, instructions: r.instructions }, data: { instructions: r.instructions } });
    sealed += count;
  }
  return sealed;
};

/** The workspace's own profile (Tenant.industry, .description) is sealed by its service, not the extension: here too, compare-and-set. */
const sealProfiles = async (tenantId: string | undefined): Promise<number> => {
  let sealed = 0;
  const rows = await db.$queryRaw<{ id: string; industry: string | null; description: string | null }[]>`
    SELECT id, "industry", "description" FROM "Tenant"
    WHERE (("industry" IS NOT NULL AND "industry" !~ ${SEALED_PREFIX_PATTERN}) OR ("description" IS NOT NULL AND "description" !~ ${SEALED_PREFIX_PATTERN}))
      AND "status" <> 'DELETED' ${tenantId ? Prisma.sql`AND id = ${tenantId}` : Prisma.empty}`;
  for (const r of rows) {
    const plain = await openTenantProfile(r.id, { industry: r.industry, description: r.description });
    const { count } = await db.tenant.updateMany({ where: { id: r.id, industry: r.industry, description: r.description }, data: await sealTenantProfile(r.id, plain) });
    sealed += count;
  }
  return sealed;
};

export const sealLegacyContent = async (opts: { tenantId?: string; batchSize?: number } = {}): Promise<ContentBackfillResult> => {
  const result: ContentBackfillResult = { rows: 0, perModel: {} };
  result.perModel.TenantPersona = await sealPersonas(opts.tenantId);
  result.rows += result.perModel.TenantPersona;
  result.perModel.Tenant = await sealProfiles(opts.tenantId);
  result.rows += result.perModel.Tenant;
  for (const model of Object.keys(SEALED_FIELDS).filter((m) => m !== "TenantPersona")) {
    let afterId = "";
    let sealed = 0;
    for (;;) {
      const ids = await pendingIds(model, opts.tenantId, afterId, opts.batchSize ?? 200);
      if (ids.length === 0) break;
      for (const id of ids) if (await sealRow(model, id)) sealed++;
      afterId = ids.at(-1)!;
    }
    result.perModel[model] = sealed;
    result.rows += sealed;
  }
  logger.info({ ...result.perModel, tenantId: opts.tenantId ?? null }, "legacy content sealed");
  await appendAuditEvent({ tenantId: null, actorType: "SYSTEM", action: "content.sealed", targetType: opts.tenantId ? "tenant" : null, targetId: opts.tenantId ?? null, metadata: result });
  return result;
};
