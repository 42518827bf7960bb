import "server-only";
import { env } from "~/env";
import { AppError } from "~/server/errors";
import type { TenantCtx } from "../context";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { auditRotationStep } from "./rotation-log";

/** What the owner must type to destroy version n: deliberate, and names the version. */
export const destroyConfirmation = (version: number) => `destroy v${version}`;

/**
 * Crypto-shredding of one retired data-key version (Vault's `trim`): separate
 * from rotation, owner-only, typed confirmation, allowed only
 * KEY_DESTROY_AFTER_DAYS after retirement, audited on both chains, and
 * irreversible — backups that still hold ciphertexts under it become
 * unreadable, which is the point.
 */
export const destroyKeyVersion = async (ctx: TenantCtx, input: { version: number; confirmation: string }, now = new Date()): Promise<{ version: number }> => {
  if (input.confirmation.trim() !== destroyConfirmation(input.version)) {
    throw new AppError("BAD_REQUEST", "confirmationMismatch", `type "${destroyConfirmation(input.version)}" to confirm`);
  }
  const crypto = tenantCrypto();
  const key = (await crypto.listTenantKeys(ctx.tenantId)).find((k) => k.version === input.version);
  if (!key) throw new AppError("NOT_FOUND", "notFound", `data key v${input.version} not found`);
  if (key.status === "destroyed") return { version: input.version };
  if (key.status !== "retired" || !key.retiredAt) throw new AppError("PRECONDITION_FAILED", "keyNotRetired", `v${input.version} is ${key.status}; only retired versions can be destroyed`);
  const allowedFrom = key.retiredAt.getTime() + env.KEY_DESTROY_AFTER_DAYS * 86_400_000;
  if (now.getTime() < allowedFrom) {
    throw new AppError("PRECONDITION_FAILED", "keyDestroyTooEarly", `v${input.version} can be destroyed from ${new Date(allowedFrom).toISOString()}`);
  }
  await crypto.destroyTenantKey(ctx.tenantId, input.version);
  await auditRotationStep({
    rotationId: `${ctx.tenantId}:v${input.version}`,
    kind: "data-key",
    tenantId: ctx.tenantId,
    step: "destroyed",
    actor: { userId: ctx.userId, meta: ctx.meta },
    details: { version: input.version },
  });
  return { version: input.version };
};
