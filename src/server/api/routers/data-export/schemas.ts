import { z } from "zod";
import { ZTenantSlug } from "~/lib/slug";
import { EXPORT_SCOPES, EXPORT_STATUSES } from "~/server/services/privacy/export/format";
import type { TDataExport } from "~/server/services/privacy/export/requests";

const ZExportId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const ZRequestDataExportInput = z.object({ tenantSlug: ZTenantSlug, scope: z.enum(EXPORT_SCOPES), locale: z.string().max(20).optional() });
export const ZDataExportIdInput = z.object({ tenantSlug: ZTenantSlug, exportId: ZExportId });

export const ZDataExport = z.object({
  id: z.string(),
  scope: z.enum(EXPORT_SCOPES),
  status: z.enum(EXPORT_STATUSES),
  requestedByMe: z.boolean(),
  progressDone: z.number().int(),
  progressTotal: z.number().int(),
  sizeBytes: z.number().int().nullable(),
  errorReason: z.string().nullable(),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
}) satisfies z.ZodType<TDataExport>;

export const ZDataExportLink = z.object({ url: z.string(), expiresAt: z.date() });
