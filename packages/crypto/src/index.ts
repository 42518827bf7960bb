/**
 * @ocsuite/crypto: envelope encryption for tenant data. See README.md for the
 * model, the ciphertext format and the rotation procedure.
 */
export { CryptoError, CRYPTO_ERROR_CODES, isCryptoError, type CryptoErrorCode } from "./errors";
export {
  FORMAT_PREFIX,
  FORMAT_VERSION,
  needsReencryption,
  parseCiphertextHeader,
  type CiphertextHeader,
} from "./ciphertext";
export type { KeyRing, WrapContext, WrappedDataKey } from "./key-ring";
export { EnvKeyRing, parseMasterKeys, MASTER_KEYS_ENV, MASTER_KEY_CURRENT_ENV, type EnvKeyRingOptions, type MasterKeyConfig } from "./env-key-ring";
export { KmsKeyRing, type KmsAdapter, type KmsContext } from "./kms-key-ring";
export { LocalKmsAdapter } from "./local-kms-adapter";
export {
  DATA_KEY_STATUSES,
  InMemoryDataKeyStore,
  wrappedKeyFromBase64,
  wrappedKeyToBase64,
  type DataKeyRecord,
  type DataKeyStatus,
  type DataKeyStore,
  type KeyWrapping,
} from "./data-key-store";
export { needsRewrap, rewrapTenantKeys, type RewrapResult } from "./rewrap";
export { isSealedBlob, openBlob, sealBlob, type SealedBlob } from "./blob";
export { createEnvelope, type DataKeyInfo, type EnvelopeOptions, type FieldInput, type TenantCrypto } from "./envelope";
export { blindToken, deriveContentKeys, isSealedText, openText, sealText, SEALED_TEXT_PREFIX, tenantOfSealedText, type ContentKeys } from "./sealed-text";
export { assertVaultTenantId, WorkspaceKeyRing, type WorkspaceKeyVault } from "./workspace-key-vault";
export { FileKeyVault } from "./file-key-vault";
export { VaultTransitKeyVault, type VaultTransitOptions } from "./vault-transit-key-vault";
