/**
 * Per-workspace keys held OUTSIDE the database, so that crypto-shredding reaches database backups.
 *
 * The master key ring alone is not enough for that: a backup taken before a workspace was purged
 * still holds its wrapped data keys, and whoever has that backup and the master keys (which every
 * process has) can unwrap them until the backup expires. A WorkspaceKeyRing therefore wraps each
 * data key twice: first under the master ring (as before), then under a key of that one workspace
 * kept in a key vault (Vault transit, or a key file on the embedded default). The workspace purge
 * destroys the vault key; from then on no copy of the database, at any age, opens that workspace,
 * because the one thing all copies need is gone. This is the per-tenant-KMS-key pattern of
 * crypto-shredding (AWS and Google document it for multi-tenant SaaS), with the vault in the KMS's
 * place (ADR 0016).
 */
import { canonicalAad } from "./encoding";
import { CryptoError } from "./errors";
import type { KeyRing, WrapContext, WrappedDataKey } from "./key-ring";

/** A store of one key per workspace that never leaves it: encrypt and decrypt happen inside. */
export interface WorkspaceKeyVault {
  /** Short, stable name of the backend ("file", "vault"): part of the layered ring's kekId. */
  readonly id: string;
  /** Encrypts under the workspace's key, creating that key on first use. `aad` is bound to the result. */
  encrypt(tenantId: string, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Throws CryptoError KEY_DESTROYED when the workspace's key no longer exists, DECRYPT_FAILED on a bad blob. */
  decrypt(tenantId: string, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Destroys the workspace's key for good. Idempotent: true when a key existed. */
  destroy(tenantId: string): Promise<boolean>;
  /** Whether the workspace has a key (the purge's tests and an operator's check after a purge). */
  has(tenantId: string): Promise<boolean>;
}

/** Workspace ids become file and key names: keep them to the characters cuid/uuid use. */
export const assertVaultTenantId = (tenantId: string): string => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId)) throw new CryptoError("DECRYPT_FAILED", "workspace id is not a valid key-vault name");
  return tenantId;
};

const layerAad = (kekId: string, kekVersion: number, context: WrapContext): Uint8Array =>
  canonicalAad(["ocs-ws-kek1", kekId, String(kekVersion), context.tenantId, String(context.dataKeyVersion)]);

/**
 * The layered key ring: master ring inside, workspace vault outside. Its kekId is
 * "<master kekId>/ws-<vault id>" and its versions are the master ring's, so the master-key rotation
 * (rewrapTenantKeys) works unchanged, and it moves data keys wrapped by the master ring alone (the
 * kekIds in `legacyKekIds`, written before the vault was configured) to the layered form.
 */
export class WorkspaceKeyRing implements KeyRing {
  readonly kekId: string;
  readonly legacyKekIds: readonly string[];
  readonly #inner: KeyRing;
  readonly #vault: WorkspaceKeyVault;

  constructor(inner: KeyRing, vault: WorkspaceKeyVault) {
    this.#inner = inner;
    this.#vault = vault;
    this.kekId = `${inner.kekId}/ws-${vault.id}`;
    this.legacyKekIds = [inner.kekId];
  }

  get vault(): WorkspaceKeyVault {
    return this.#vault;
  }

  currentVersion(): Promise<number> {
    return this.#inner.currentVersion();
  }

  async wrap(dataKey: Uint8Array, context: WrapContext): Promise<WrappedDataKey> {
    const inner = await this.#inner.wrap(dataKey, context);
    const outer = await this.#vault.encrypt(context.tenantId, inner.wrapped, layerAad(this.kekId, inner.kekVersion, context));
    return { kekId: this.kekId, kekVersion: inner.kekVersion, wrapped: outer };
  }

  async unwrap(wrapped: WrappedDataKey, context: WrapContext): Promise<Buffer> {
    // Wrapped before the vault existed: the master ring alone opens it (the rotation moves it on).
    if (this.legacyKekIds.includes(wrapped.kekId)) return this.#inner.unwrap(wrapped, context);
    if (wrapped.kekId !== this.kekId) {
      throw new CryptoError(
        "UNKNOWN_KEY_VERSION",
        `data key v${context.dataKeyVersion} of tenant ${context.tenantId} is wrapped under KEK "${wrapped.kekId}", but this key ring is "${this.kekId}"`,
      );
    }
    const inner = await this.#vault.decrypt(context.tenantId, wrapped.wrapped, layerAad(this.kekId, wrapped.kekVersion, context));
    return this.#inner.unwrap({ kekId: this.#inner.kekId, kekVersion: wrapped.kekVersion, wrapped: inner }, context);
  }
}
