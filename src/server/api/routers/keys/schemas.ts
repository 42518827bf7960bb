import { z } from "zod";
import type { TenantKeyStatus } from "~/server/services/key-rotation/key-status";
import type { RotationDto } from "~/server/services/key-rotation/rotation-rows";

export const ZRotation = z.object({
  id: z.string(),
  kind: z.enum(["data-key", "rollback", "master-key"]),
  status: z.enum(["pending", "reencrypting", "verifying", "waiting-retire", "completed", "failed", "rolled-back"]),
  trigger: z.string(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  kekVersion: z.number().int().nullable(),
  rowsTotal: z.number().int(),
  rowsDone: z.number().int(),
  batches: z.number().int(),
  error: z.string().nullable(),
  retireAfter: z.date().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
}) satisfies z.ZodType<RotationDto>;

export const ZTenantKeyStatus = z.object({
  activeVersion: z.number().int().nullable(),
  activeSince: z.date().nullable(),
  policyDays: z.number().int(),
  rollbackWindowHours: z.number().positive(),
  nextRotationDue: z.date().nullable(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      status: z.enum(["active", "decrypt-only", "retired", "destroyed"]),
      createdAt: z.date(),
      deactivatedAt: z.date().nullable(),
      retiredAt: z.date().nullable(),
      destroyedAt: z.date().nullable(),
      kekVersion: z.number().int(),
      secrets: z.number().int(),
      destroyableFrom: z.date().nullable(),
    }),
  ),
  current: ZRotation.nullable(),
  lastCompleted: ZRotation.nullable(),
  history: z.array(ZRotation),
  canRotate: z.boolean(),
  canRollback: z.boolean(),
  deletionKey: z.object({ vault: z.enum(["file", "vault", "none"]), covered: z.boolean() }),
}) satisfies z.ZodType<TenantKeyStatus>;

export const ZDestroyKeyInput = z.object({
  version: z.number().int().min(1).max(2_147_483_647),
  confirmation: z.string().max(40),
});
export const ZDestroyKeyOutput = z.object({ version: z.number().int() });
