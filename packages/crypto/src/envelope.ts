/**
 * Envelope encryption for tenant data:
 *
 *   KEK (key ring: env master keys or a KMS)
 *     └─ wraps → per-tenant data keys (DEKs), versioned, stored wrapped
 *                  └─ encrypt → field ciphertexts "ocs1.<dekVersion>.<payload>"
 *
 * Lifecycle of a tenant data-key version (Vault's min_decryption_version + trim):
 *   active ──rotateTenantKey──▶ decrypt-only ──retireTenantKey──▶ retired ──destroyTenantKey──▶ destroyed
 *     ▲                           │    ▲──────────restoreTenantKey───────┘        (irreversible)
 *     └────activateTenantKey──────┘   (rollback: an older version becomes active again)
 * Exactly one version is used for new encryptions (the highest `active` one);
 * every decrypt-only version still decrypts, so a rotation job can re-encrypt
 * rows in batches while old and new ciphertexts coexist.
 */
import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { KEY_BYTES } from "./aead";
import { parseCiphertext } from "./ciphertext";
import type { DataKeyRecord, DataKeyStatus, DataKeyStore } from "./data-key-store";
import { CryptoError } from "./errors";
import { openField, sealField } from "./field-cipher";
import type { KeyRing } from "./key-ring";
import { LruCache } from "./lru-cache";
import { rewrapTenantKeys, type RewrapResult } from "./rewrap";

export type EnvelopeOptions = {
  keyRing: KeyRing;
  store: DataKeyStore;
  cache?: {
    /** Unwrapped data keys kept in memory (per tenant and version). Default 10 000. */
    maxEntries?: number;
    /**
     * How long a cached key, its status and a tenant's active version are
     * trusted. This is how long OTHER processes may keep encrypting under a
     * version after a rotation, or decrypting with it after a retirement.
     * Default 60 s.
     */
    ttlMs?: number;
  };
  /**
   * Minimum time between a version ceasing to be active (its successor's
   * createdAt) and retiring it. Default: the cache TTL, so no process can
   * still be writing with the version being retired.
   */
  retireGraceMs?: number;
  /**
   * Create version 1 on the first encryption for a tenant with no key at all.
   * Default false: call ensureTenantKey when the tenant is created, so a
   * mistyped tenant id fails loudly instead of minting keys.
   */
  autoCreateTenantKeys?: boolean;
  /** Clock, for tests. */
  now?: () => number;
};

export type FieldInput = { tenantId: string; field: string };

/** A data-key row without its key material, safe to log or show to an admin. */
export type DataKeyInfo = Omit<DataKeyRecord, "wrappedKey">;

export interface TenantCrypto {
  encryptField(input: FieldInput & { plaintext: string }): Promise<string>;
  decryptField(input: FieldInput & { ciphertext: string }): Promise<string>;
  /** The ciphertext under the tenant's active version; returned unchanged if already current. */
  reencrypt(input: FieldInput & { ciphertext: string }): Promise<string>;
  /** Creates version 1 if the tenant has no data key; returns the active version. */
  ensureTenantKey(tenantId: string): Promise<DataKeyInfo>;
  /** Creates version n+1 as active and marks the previous active version decrypt-only. */
  rotateTenantKey(tenantId: string): Promise<DataKeyInfo>;
  /**
   * Last step of a rotation, after every row has been re-encrypted: ciphertexts
   * under this version fail with KEY_RETIRED from then on. Refused (KEY_STATE_CONFLICT)
   * for the active version and within `retireGraceMs` of its deactivation.
   * Reversible with restoreTenantKey; the wrapped key is kept.
   */
  retireTenantKey(tenantId: string, version: number): Promise<void>;
  /** Emergency undo of a retirement: back to decrypt-only. Refused (KEY_DESTROYED) once destroyed. */
  restoreTenantKey(tenantId: string, version: number): Promise<void>;
  /**
   * Rollback of a rotation: makes a decrypt-only version the active one again
   * and demotes the versions above it to decrypt-only (a crash in between
   * leaves the newer version winning, i.e. the state before the rollback).
   * Refused for retired (restore first) and destroyed versions.
   */
  activateTenantKey(tenantId: string, version: number): Promise<DataKeyInfo>;
  /**
   * Crypto-shredding of one retired version: its wrapped key is erased and
   * nothing encrypted under it can ever be decrypted again. Irreversible;
   * refused (KEY_STATE_CONFLICT) unless the version is retired. Waiting
   * periods before this step are the caller's policy.
   */
  destroyTenantKey(tenantId: string, version: number): Promise<void>;
  getActiveVersion(tenantId: string): Promise<number>;
  listTenantKeys(tenantId: string): Promise<DataKeyInfo[]>;
  /** Re-wraps the tenant's data keys under the key ring's current KEK version. */
  rewrapTenantKeys(tenantId: string): Promise<RewrapResult>;
  /** Drops cached keys and active versions (one tenant, or all). Call after changing keys out of band. */
  invalidateCache(tenantId?: string): void;
}

type CachedKey = { status: DataKeyStatus; key: KeyObject | null };

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_TTL_MS = 60_000;

const info = ({ wrappedKey: _omit, ...rest }: DataKeyRecord): DataKeyInfo => rest;

const requireId = (value: unknown, name: string): void => {
  if (typeof value !== "string" || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
};

/** Highest active version; a crash mid-rotation can leave two `active` rows and the newer one wins. */
const pickActive = (records: readonly DataKeyRecord[]): DataKeyRecord | undefined =>
  records.filter((r) => r.status === "active").sort((a, b) => b.version - a.version)[0];

export const createEnvelope = (options: EnvelopeOptions): TenantCrypto => {
  const { keyRing, store } = options;
  const now = options.now ?? Date.now;
  const maxEntries = options.cache?.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const ttlMs = options.cache?.ttlMs ?? DEFAULT_TTL_MS;
  const retireGraceMs = options.retireGraceMs ?? ttlMs;

  // Both caches hold promises, so a burst of requests for a cold tenant makes
  // one store read and one unwrap (one KMS call), not one per request.
  const keys = new LruCache<string, Promise<CachedKey>>({ maxEntries, ttlMs, now });
  const active = new LruCache<string, Promise<number>>({ maxEntries, ttlMs, now });
  // `${version}:${tenantId}`: the version has no colon, so the split is unambiguous.
  const keyId = (tenantId: string, version: number) => `${version}:${tenantId}`;
  const tenantOf = (id: string) => id.slice(id.indexOf(":") + 1);

  const memo = <V>(cache: LruCache<string, Promise<V>>, id: string, load: () => Promise<V>): Promise<V> => {
    const hit = cache.get(id);
    if (hit) return hit;
    const pending = load();
    cache.set(id, pending);
    // Failures are not cached (a KMS blip must not stick for a whole TTL).
    pending.catch(() => {
      if (cache.get(id) === pending) cache.delete(id);
    });
    return pending;
  };

  const unwrapRecord = async (record: DataKeyRecord): Promise<CachedKey> => {
    // Retired keys are never unwrapped (their KEK version may already be gone); destroyed ones have no material.
    if (record.status === "retired" || record.status === "destroyed") return { status: record.status, key: null };
    const raw = await keyRing.unwrap(
      { kekId: record.kekId, kekVersion: record.kekVersion, wrapped: record.wrappedKey },
      { tenantId: record.tenantId, dataKeyVersion: record.version },
    );
    try {
      return { status: record.status, key: createSecretKey(raw) };
    } finally {
      raw.fill(0);
    }
  };

  const dataKey = (tenantId: string, version: number, known?: DataKeyRecord): Promise<CachedKey> =>
    memo(keys, keyId(tenantId, version), async () => {
      const record = known ?? (await store.get(tenantId, version));
      if (!record) throw new CryptoError("UNKNOWN_KEY_VERSION", `Tenant ${tenantId} has no data key v${version}`);
      return unwrapRecord(record);
    });

  const newRecord = async (tenantId: string, version: number): Promise<DataKeyRecord> => {
    const raw = randomBytes(KEY_BYTES);
    try {
      const wrapped = await keyRing.wrap(raw, { tenantId, dataKeyVersion: version });
      return { tenantId, version, wrappedKey: wrapped.wrapped, kekId: wrapped.kekId, kekVersion: wrapped.kekVersion, status: "active", createdAt: new Date(now()) };
    } finally {
      raw.fill(0);
    }
  };

  const invalidateCache = (tenantId?: string): void => {
    if (tenantId === undefined) {
      keys.clear();
      active.clear();
      return;
    }
    keys.deleteWhere((id) => tenantOf(id) === tenantId);
    active.delete(tenantId);
  };

  const ensureTenantKey = async (tenantId: string): Promise<DataKeyInfo> => {
    requireId(tenantId, "tenantId");
    for (let attempt = 0; attempt < 2; attempt++) {
      const records = await store.list(tenantId);
      const current = pickActive(records);
      if (current) return info(current);
      if (records.length > 0) throw new CryptoError("NO_ACTIVE_KEY", `Tenant ${tenantId} has data keys but none is active; rotate to create one`);
      const record = await newRecord(tenantId, 1);
      if (await store.insert(record)) {
        invalidateCache(tenantId);
        return info(record);
      }
      // Lost the race with another process creating v1: read its row instead.
    }
    throw new CryptoError("KEY_STATE_CONFLICT", `Tenant ${tenantId}: concurrent key creation did not settle; retry`);
  };

  const getActiveVersion = (tenantId: string): Promise<number> => {
    requireId(tenantId, "tenantId");
    return memo(active, tenantId, async () => {
      const records = await store.list(tenantId);
      const current = pickActive(records);
      if (current) {
        void dataKey(tenantId, current.version, current).catch(() => undefined); // prime; errors surface on use
        return current.version;
      }
      if (records.length === 0 && options.autoCreateTenantKeys) return (await ensureTenantKey(tenantId)).version;
      throw new CryptoError(
        "NO_ACTIVE_KEY",
        records.length === 0 ? `Tenant ${tenantId} has no data key (call ensureTenantKey when creating the tenant)` : `Tenant ${tenantId} has no active data key`,
      );
    });
  };

  const encryptField: TenantCrypto["encryptField"] = async ({ tenantId, field, plaintext }) => {
    requireId(tenantId, "tenantId");
    requireId(field, "field");
    if (typeof plaintext !== "string") throw new TypeError("plaintext must be a string");
    const version = await getActiveVersion(tenantId);
    const { key } = await dataKey(tenantId, version);
    if (!key) throw new CryptoError("NO_ACTIVE_KEY", `Tenant ${tenantId}: data key v${version} is retired`);
    return sealField(key, { tenantId, field, keyVersion: version }, plaintext);
  };

  const decryptField: TenantCrypto["decryptField"] = async ({ tenantId, field, ciphertext }) => {
    requireId(tenantId, "tenantId");
    requireId(field, "field");
    const { keyVersion, sealed } = parseCiphertext(ciphertext);
    const { status, key } = await dataKey(tenantId, keyVersion);
    if (status === "destroyed") {
      throw new CryptoError("KEY_DESTROYED", `Tenant ${tenantId}: data key v${keyVersion} was destroyed; field ${field} can no longer be decrypted`);
    }
    if (status === "retired" || !key) {
      throw new CryptoError("KEY_RETIRED", `Tenant ${tenantId}: data key v${keyVersion} is retired; field ${field} was not re-encrypted before retirement`);
    }
    const plaintext = openField(key, { tenantId, field, keyVersion }, sealed);
    if (plaintext === null) {
      throw new CryptoError("DECRYPT_FAILED", `Could not decrypt field ${field} of tenant ${tenantId} (data key v${keyVersion}): wrong tenant or field, or the value was modified`);
    }
    return plaintext;
  };

  const reencrypt: TenantCrypto["reencrypt"] = async ({ tenantId, field, ciphertext }) => {
    const { keyVersion } = parseCiphertext(ciphertext);
    if (keyVersion === (await getActiveVersion(tenantId))) return ciphertext;
    const plaintext = await decryptField({ tenantId, field, ciphertext });
    return encryptField({ tenantId, field, plaintext });
  };

  const rotateTenantKey = async (tenantId: string): Promise<DataKeyInfo> => {
    requireId(tenantId, "tenantId");
    const records = await store.list(tenantId);
    const next = records.reduce((max, r) => Math.max(max, r.version), 0) + 1;
    const record = await newRecord(tenantId, next);
    // Insert first, demote second: a crash in between leaves two active rows,
    // and pickActive already prefers the newer one.
    if (!(await store.insert(record))) {
      throw new CryptoError("KEY_STATE_CONFLICT", `Tenant ${tenantId}: data key v${next} was created concurrently; re-read and retry if still needed`);
    }
    for (const r of records) if (r.status === "active") await store.updateStatus(tenantId, r.version, "decrypt-only", new Date(now()));
    invalidateCache(tenantId);
    return info(record);
  };

  const activateTenantKey = async (tenantId: string, version: number): Promise<DataKeyInfo> => {
    requireId(tenantId, "tenantId");
    const records = await store.list(tenantId);
    const record = records.find((r) => r.version === version);
    if (!record) throw new CryptoError("UNKNOWN_KEY_VERSION", `Tenant ${tenantId} has no data key v${version}`);
    if (record.status === "destroyed") throw new CryptoError("KEY_DESTROYED", `Tenant ${tenantId}: data key v${version} was destroyed and cannot be activated`);
    if (record.status === "retired") throw new CryptoError("KEY_STATE_CONFLICT", `Tenant ${tenantId}: data key v${version} is retired; restore it before activating it`);
    // Activate first, demote second (see rotateTenantKey): until the demotion the
    // newer active version still wins, so a crash leaves the pre-rollback state.
    if (record.status !== "active") await store.updateStatus(tenantId, version, "active", new Date(now()));
    for (const r of records) {
      if (r.version !== version && r.status === "active") await store.updateStatus(tenantId, r.version, "decrypt-only", new Date(now()));
    }
    invalidateCache(tenantId);
    return info({ ...record, status: "active" });
  };

  const destroyTenantKey = async (tenantId: string, version: number): Promise<void> => {
    requireId(tenantId, "tenantId");
    const record = await store.get(tenantId, version);
    if (!record) throw new CryptoError("UNKNOWN_KEY_VERSION", `Tenant ${tenantId} has no data key v${version}`);
    if (record.status === "destroyed") return;
    if (record.status !== "retired" || !(await store.destroy(tenantId, version))) {
      throw new CryptoError("KEY_STATE_CONFLICT", `Tenant ${tenantId}: data key v${version} is ${record.status}; only a retired version can be destroyed`);
    }
    invalidateCache(tenantId);
  };

  const retireTenantKey = async (tenantId: string, version: number): Promise<void> => {
    requireId(tenantId, "tenantId");
    const records = await store.list(tenantId);
    const record = records.find((r) => r.version === version);
    if (!record) throw new CryptoError("UNKNOWN_KEY_VERSION", `Tenant ${tenantId} has no data key v${version}`);
    if (record.status === "retired" || record.status === "destroyed") return;
    if (record.status === "active") {
      throw new CryptoError("KEY_STATE_CONFLICT", `Tenant ${tenantId}: data key v${version} is active; rotate and re-encrypt before retiring it`);
    }
    // When did this version stop being used for new writes? When its
    // successor was created. Until the cache TTL has passed since then,
    // another process may still be writing new v<version> ciphertexts.
    // Its recorded deactivation (rotation or rollback) when the store tracks it, else its successor's creation.
    const successor = records.filter((r) => r.version > version).sort((a, b) => a.version - b.version)[0];
    const deactivatedAt = Math.max(record.deactivatedAt?.getTime() ?? 0, successor?.createdAt.getTime() ?? 0);
    const waitMs = deactivatedAt + retireGraceMs - now();
    if (waitMs > 0) {
      throw new CryptoError(
        "KEY_STATE_CONFLICT",
        `Tenant ${tenantId}: data key v${version} was deactivated less than ${retireGraceMs} ms ago; other processes may still encrypt with it. Re-run the re-encryption pass and retry in ${waitMs} ms`,
      );
    }
    await store.updateStatus(tenantId, version, "retired", new Date(now()));
    invalidateCache(tenantId);
  };

  const restoreTenantKey = async (tenantId: string, version: number): Promise<void> => {
    requireId(tenantId, "tenantId");
    const record = await store.get(tenantId, version);
    if (!record) throw new CryptoError("UNKNOWN_KEY_VERSION", `Tenant ${tenantId} has no data key v${version}`);
    if (record.status === "destroyed") throw new CryptoError("KEY_DESTROYED", `Tenant ${tenantId}: data key v${version} was destroyed and cannot be restored`);
    if (record.status !== "retired") return;
    await store.updateStatus(tenantId, version, "decrypt-only", new Date(now()));
    invalidateCache(tenantId);
  };

  return {
    encryptField,
    decryptField,
    reencrypt,
    ensureTenantKey,
    rotateTenantKey,
    retireTenantKey,
    restoreTenantKey,
    activateTenantKey,
    destroyTenantKey,
    getActiveVersion,
    listTenantKeys: async (tenantId) => (await store.list(tenantId)).sort((a, b) => a.version - b.version).map(info),
    rewrapTenantKeys: async (tenantId) => {
      requireId(tenantId, "tenantId");
      return rewrapTenantKeys({ keyRing, store, tenantId });
    },
    invalidateCache,
  };
};
