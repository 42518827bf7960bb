/**
 * Field encryption with an already-unwrapped data key. Kept separate from the
 * envelope (which handles key lookup and lifecycle) so the AAD binding can be
 * tested with one key and different tenants/fields.
 */
import type { KeyObject } from "node:crypto";
import { open, seal } from "./aead";
import { fieldAad, formatCiphertext } from "./ciphertext";

export type FieldContext = { tenantId: string; field: string; keyVersion: number };

export const sealField = (key: KeyObject, context: FieldContext, plaintext: string): string =>
  formatCiphertext(context.keyVersion, seal(key, Buffer.from(plaintext, "utf8"), fieldAad(context.tenantId, context.field, context.keyVersion)));

/** Returns null when authentication fails (wrong key, tenant, field, version, or tampered bytes). */
export const openField = (key: KeyObject, context: FieldContext, sealed: Uint8Array): string | null => {
  const plain = open(key, sealed, fieldAad(context.tenantId, context.field, context.keyVersion));
  if (plain === null) return null;
  const text = plain.toString("utf8");
  plain.fill(0);
  return text;
};
