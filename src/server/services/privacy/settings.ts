import "server-only";
import { z } from "zod";
import { hasRole } from "~/lib/roles";
import { DEFAULT_RESIDENCY_REGION, isResidencyRegion, RESIDENCY_REGIONS, type ResidencyRegion } from "~/lib/regions";
import { RETENTION_CLASSES, RETENTION_COLUMN, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, type RetentionClass, type RetentionPolicy } from "~/lib/retention";
import { db } from "~/server/db/client";
import { AppError, forbidden } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { hasRegionalStorage } from "~/server/infra/storage";
import { invalidateTenantTelemetry } from "~/server/infra/privacy-telemetry";
import type { TenantCtx } from "../context";
import { recordAudit } from "../audit/audit";

/*
 * A workspace's privacy settings (privacy centre, issue 16): telemetry, data residency and the
 * retention window of each data class. Owners change them; admins may read them. Every change is
 * audited with the changed fields (old → new; these are settings, never content).
 * Enforcement lives elsewhere: telemetry in src/server/infra/privacy-telemetry, residency in the
 * storage choice (src/server/infra/storage: storageForRegion) and the provider endpoints offered,
 * retention in the scheduled purge (services/privacy/retention).
 */

export type PrivacySettings = {
  telemetryEnabled: boolean;
  dataResidency: ResidencyRegion;
  retention: RetentionPolicy;
  /** Whether the caller may change them (owners). */
  canEdit: boolean;
  /** Per region: whether the operator gave it a storage of its own (else new originals go to the default storage). */
  regionalStorage: Record<ResidencyRegion, boolean>;
};

/**
 * One retention window: whole days within the global bounds, or null for "keep". The per-class
 * minimum (the audit legal minimum) is checked by the service so the refusal carries its own reason.
 */
const ZRetentionDays = z.number().int().min(1).max(RETENTION_MAX_DAYS).nullable();

export const ZPrivacySettingsUpdate = z
  .object({
    telemetryEnabled: z.boolean().optional(),
    dataResidency: z.enum(RESIDENCY_REGIONS).optional(),
    retention: z.object(Object.fromEntries(RETENTION_CLASSES.map((c) => [c, ZRetentionDays.optional()])) as Record<RetentionClass, z.ZodOptional<typeof ZRetentionDays>>).strict().optional(),
  });
export type PrivacySettingsUpdate = z.input<typeof ZPrivacySettingsUpdate>;

const SELECT = {
  telemetryEnabled: true,
  dataResidency: true,
  ...(Object.fromEntries(RETENTION_CLASSES.map((c) => [RETENTION_COLUMN[c], true])) as Record<(typeof RETENTION_COLUMN)[RetentionClass], true>),
} as const;

type Row = { telemetryEnabled: boolean; dataResidency: string } & Record<(typeof RETENTION_COLUMN)[RetentionClass], number | null>;

const toSettings = (row: Row, ctx: TenantCtx): PrivacySettings => ({
  telemetryEnabled: row.telemetryEnabled,
  // A value outside the product's list (a region removed later) reads as the default, never crashes the page.
  dataResidency: isResidencyRegion(row.dataResidency) ? row.dataResidency : DEFAULT_RESIDENCY_REGION,
  retention: Object.fromEntries(RETENTION_CLASSES.map((c) => [c, row[RETENTION_COLUMN[c]]])) as RetentionPolicy,
  canEdit: hasRole(ctx.role, "OWNER"),
  regionalStorage: Object.fromEntries(RESIDENCY_REGIONS.map((r) => [r, hasRegionalStorage(r)])) as Record<ResidencyRegion, boolean>,
});

/** The workspace's privacy settings, for its admins and owners. */
export const getPrivacySettings = async (ctx: TenantCtx): Promise<PrivacySettings> => {
  if (!hasRole(ctx.role, "ADMIN")) throw forbidden("roleTooLow", "Admins and owners only");
  const row = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: SELECT });
  return toSettings(row, ctx);
};

/** A window shorter than its class allows (the audit legal minimum) is refused with its own reason. */
const checkBounds = (retention: Partial<Record<RetentionClass, number | null>>) => {
  for (const c of RETENTION_CLASSES) {
    const days = retention[c];
    if (days === undefined || days === null) continue;
    if (days < RETENTION_MIN_DAYS[c])
      throw new AppError("BAD_REQUEST", "retentionBelowMinimum", `Retention for ${c} must be at least ${RETENTION_MIN_DAYS[c]} days`, {
        params: { retentionClass: c, min: RETENTION_MIN_DAYS[c] },
      });
  }
};

type Change = { from: boolean | string | number | null; to: boolean | string | number | null };

/**
 * Changes some of the settings (owners only). Only fields present in the input are touched; one
 * audit event lists every field that actually changed. A telemetry change drops the pipeline's
 * cached setting at once (this process, and every other one through Redis), not at its TTL.
 */
export const updatePrivacySettings = async (ctx: TenantCtx, rawInput: PrivacySettingsUpdate): Promise<PrivacySettings> => {
  if (!hasRole(ctx.role, "OWNER")) throw forbidden("roleTooLow", "Owners only");
  const parsed = ZPrivacySettingsUpdate.safeParse(rawInput);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", "Invalid privacy settings");
  const input = parsed.data;
  checkBounds(input.retention ?? {});

  const before = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: SELECT });
  const data: Partial<Row> = {};
  const changes: Record<string, Change> = {};
  if (input.telemetryEnabled !== undefined && input.telemetryEnabled !== before.telemetryEnabled) {
    data.telemetryEnabled = input.telemetryEnabled;
    changes.telemetryEnabled = { from: before.telemetryEnabled, to: input.telemetryEnabled };
  }
  if (input.dataResidency !== undefined && input.dataResidency !== before.dataResidency) {
    data.dataResidency = input.dataResidency;
    changes.dataResidency = { from: before.dataResidency, to: input.dataResidency };
  }
  for (const c of RETENTION_CLASSES) {
    const next = input.retention?.[c];
    const column = RETENTION_COLUMN[c];
    if (next === undefined || next === before[column]) continue;
    data[column] = next;
    changes[`retention.${c}`] = { from: before[column], to: next };
  }
  if (Object.keys(changes).length === 0) return toSettings(before, ctx);

  const after = await db.tenant.update({ where: { id: ctx.tenantId }, data, select: SELECT });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "privacy.settings_updated",
    targetType: "tenant",
    targetId: ctx.tenantId,
    metadata: { changes },
    meta: ctx.meta,
  });
  if (changes.telemetryEnabled) {
    // This process has already forgotten the old value when publish runs; if Redis is down the
    // others follow within the cache's TTL (POLICY_TTL_MS), so the saved setting stands.
    await invalidateTenantTelemetry(ctx.tenantId).catch((err: unknown) => logger.warn({ err, tenantId: ctx.tenantId }, "telemetry setting changed; other processes follow at the cache TTL"));
  }
  return toSettings(after, ctx);
};
