import { z } from "zod";
import type { FleetKeyStatus } from "~/server/services/key-rotation/key-status";
import { ZRotation } from "../keys/schemas";

export const ZFleetKeyStatus = z.object({
  tenants: z.number().int(),
  ageBuckets: z.object({ under30: z.number().int(), from30to60: z.number().int(), from60to90: z.number().int(), overPolicy: z.number().int() }),
  policyDays: z.number().int(),
  currentKekVersion: z.number().int(),
  dataKeysByKekVersion: z.array(z.object({ kekVersion: z.number().int(), count: z.number().int() })),
  staleDataKeys: z.number().int(),
  inFlight: z.number().int(),
  failedLast30Days: z.number().int(),
  recent: z.array(ZRotation.extend({ tenantId: z.string().nullable() })),
}) satisfies z.ZodType<FleetKeyStatus>;

export const ZFleetRotationOutput = z.object({ due: z.number().int(), started: z.number().int(), skipped: z.number().int() });
export const ZFleetRotationInput = z.object({ tenantIds: z.array(z.string().min(1).max(200)).min(1).max(1000).optional() }).optional();
