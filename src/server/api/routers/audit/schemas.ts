import { z } from "zod";
import { ACTOR_TYPES, ZTenantAuditListInput } from "~/server/services/audit/tenant-audit";

export { ZTenantAuditListInput };

export const ZTenantAuditEvent = z.strictObject({
  id: z.string(),
  seq: z.number().int(),
  createdAt: z.date(),
  actorType: z.enum(ACTOR_TYPES),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: z.enum(["SUCCESS", "FAILURE", "DENIED"]),
  ip: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
});
export const ZTenantAuditListOutput = z.object({ items: z.array(ZTenantAuditEvent), nextCursor: z.number().int().nullable() });
export const ZTenantAuditVerifyOutput = z.strictObject({ ok: z.boolean(), checked: z.number().int(), firstBrokenSeq: z.number().int().nullable() });
