import { z } from "zod";
import { RESIDENCY_REGIONS } from "~/lib/regions";
import { RETENTION_CLASSES, type RetentionClass } from "~/lib/retention";
import { type PrivacySettings, ZPrivacySettingsUpdate } from "~/server/services/privacy/settings";

/** The input of privacy.update is the service's own schema (one definition of the bounds). */
export const ZPrivacyUpdateInput = ZPrivacySettingsUpdate;

export const ZPrivacySettings = z.object({
  telemetryEnabled: z.boolean(),
  dataResidency: z.enum(RESIDENCY_REGIONS),
  retention: z.object(Object.fromEntries(RETENTION_CLASSES.map((c) => [c, z.number().int().nullable()])) as Record<RetentionClass, z.ZodNullable<z.ZodNumber>>),
  canEdit: z.boolean(),
  regionalStorage: z.object(Object.fromEntries(RESIDENCY_REGIONS.map((r) => [r, z.boolean()])) as Record<(typeof RESIDENCY_REGIONS)[number], z.ZodBoolean>),
}) satisfies z.ZodType<PrivacySettings>;
