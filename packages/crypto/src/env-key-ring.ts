/**
 * EnvKeyRing: versioned master keys from an environment variable, for the
 * embedded / self-hosted deployment.
 *
 *   OCSUITE_MASTER_KEYS="1:<base64 32 bytes>,2:<base64 32 bytes>"
 *
 * The highest version is current (used for new wraps) unless
 * OCSUITE_MASTER_KEY_CURRENT pins an older one. The pin exists for the
 * roll-out step Tink documents: add the new version to EVERY process first,
 * and only then start wrapping with it; otherwise a process that has not been
 * redeployed yet cannot unwrap keys written by one that has.
 */
import { createSecretKey, type KeyObject } from "node:crypto";
import { z } from "zod";
import { KEY_BYTES, open, seal } from "./aead";
import { fromBase64Strict } from "./encoding";
import { CryptoError } from "./errors";
import { wrapAad, type KeyRing, type WrapContext, type WrappedDataKey } from "./key-ring";

export const MASTER_KEYS_ENV = "OCSUITE_MASTER_KEYS";
export const MASTER_KEY_CURRENT_ENV = "OCSUITE_MASTER_KEY_CURRENT";

const badConfig = (why: string) => new CryptoError("BAD_MASTER_KEY_CONFIG", `${MASTER_KEYS_ENV}: ${why}`);

// Messages below describe the entry by position and version only: the raw
// value is a secret and must not reach logs through a validation error.
const versionSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "version must be a positive integer without leading zeros")
  .transform(Number)
  .refine((v) => v <= 2 ** 31 - 1, "version is too large");

const kekIdSchema = z.string().regex(/^[A-Za-z0-9._:/-]{1,128}$/, "kekId must be 1-128 characters of [A-Za-z0-9._:/-]");

export type MasterKeyConfig = { current: number; keys: ReadonlyMap<number, Buffer> };

/**
 * Parses and validates a master-key spec. Exported so the app's env schema can
 * validate at boot (fail fast) with the same rules.
 */
export const parseMasterKeys = (spec: string | undefined, currentPin?: string): MasterKeyConfig => {
  if (spec === undefined || spec.trim() === "") throw badConfig("is not set (expected \"1:<base64 32 bytes>[,2:<base64 32 bytes>…]\")");
  const keys = new Map<number, Buffer>();
  const entries = spec.split(",");
  entries.forEach((raw, index) => {
    const where = `entry ${index + 1}`;
    const entry = raw.trim();
    const sep = entry.indexOf(":");
    if (sep < 0) throw badConfig(`${where} must look like <version>:<base64 key>`);
    const parsedVersion = versionSchema.safeParse(entry.slice(0, sep).trim());
    if (!parsedVersion.success) throw badConfig(`${where}: ${parsedVersion.error.issues[0]?.message ?? "invalid version"}`);
    const version = parsedVersion.data;
    if (keys.has(version)) throw badConfig(`version ${version} appears more than once`);
    const key = fromBase64Strict(entry.slice(sep + 1).trim());
    if (key === null) throw badConfig(`version ${version}: key is not valid base64`);
    if (key.length !== KEY_BYTES) throw badConfig(`version ${version}: key must be ${KEY_BYTES} bytes, got ${key.length}`);
    if (key.every((b) => b === 0)) throw badConfig(`version ${version}: key is all zeros`);
    for (const [other, otherKey] of keys) {
      // Same bytes under two versions is almost always a copy-paste mistake
      // that would make a "rotation" rotate nothing.
      if (otherKey.equals(key)) throw badConfig(`versions ${other} and ${version} have the same key`);
    }
    keys.set(version, key);
  });
  let current = Math.max(...keys.keys());
  if (currentPin !== undefined && currentPin.trim() !== "") {
    const pinned = versionSchema.safeParse(currentPin.trim());
    if (!pinned.success) throw badConfig(`${MASTER_KEY_CURRENT_ENV}: ${pinned.error.issues[0]?.message ?? "invalid version"}`);
    if (!keys.has(pinned.data)) throw badConfig(`${MASTER_KEY_CURRENT_ENV}=${pinned.data} is not one of the configured versions`);
    current = pinned.data;
  }
  return { current, keys };
};

export type EnvKeyRingOptions = {
  /** Stored with every wrapped key; change it only together with a full rewrap. Default "env". */
  kekId?: string;
};

export class EnvKeyRing implements KeyRing {
  readonly kekId: string;
  readonly #current: number;
  readonly #keys: ReadonlyMap<number, KeyObject>;

  constructor(spec: string | undefined, options: EnvKeyRingOptions & { currentVersion?: string } = {}) {
    const kekId = kekIdSchema.safeParse(options.kekId ?? "env");
    if (!kekId.success) throw badConfig(kekId.error.issues[0]?.message ?? "invalid kekId");
    this.kekId = kekId.data;
    const config = parseMasterKeys(spec, options.currentVersion);
    this.#current = config.current;
    // KeyObjects keep the material out of reach of console.log / JSON and
    // let us zero the parsed buffers right away.
    const keys = new Map<number, KeyObject>();
    for (const [version, raw] of config.keys) {
      keys.set(version, createSecretKey(raw));
      raw.fill(0);
    }
    this.#keys = keys;
  }

  /** Reads OCSUITE_MASTER_KEYS (and the optional OCSUITE_MASTER_KEY_CURRENT pin). */
  static fromEnv(env: Record<string, string | undefined> = process.env, options: EnvKeyRingOptions = {}): EnvKeyRing {
    return new EnvKeyRing(env[MASTER_KEYS_ENV], { ...options, currentVersion: env[MASTER_KEY_CURRENT_ENV] });
  }

  /** Versions this process can unwrap with, ascending. */
  get versions(): number[] {
    return [...this.#keys.keys()].sort((a, b) => a - b);
  }

  async currentVersion(): Promise<number> {
    return this.#current;
  }

  async wrap(dataKey: Uint8Array, context: WrapContext): Promise<WrappedDataKey> {
    const key = this.#keys.get(this.#current);
    if (!key) throw badConfig("current version missing"); // unreachable: validated in the constructor
    const wrapped = seal(key, dataKey, wrapAad(this.kekId, this.#current, context));
    return { kekId: this.kekId, kekVersion: this.#current, wrapped };
  }

  async unwrap(wrapped: WrappedDataKey, context: WrapContext): Promise<Buffer> {
    const where = `data key v${context.dataKeyVersion} of tenant ${context.tenantId}`;
    if (wrapped.kekId !== this.kekId) {
      throw new CryptoError("UNKNOWN_KEY_VERSION", `${where} is wrapped under KEK "${wrapped.kekId}", but this key ring is "${this.kekId}"`);
    }
    const key = this.#keys.get(wrapped.kekVersion);
    if (!key) {
      throw new CryptoError(
        "UNKNOWN_KEY_VERSION",
        `${where} is wrapped under master key v${wrapped.kekVersion}, which is not in ${MASTER_KEYS_ENV} (known: ${this.versions.join(", ")})`,
      );
    }
    const dataKey = open(key, wrapped.wrapped, wrapAad(this.kekId, wrapped.kekVersion, context));
    if (dataKey === null || dataKey.length !== KEY_BYTES) {
      throw new CryptoError("DECRYPT_FAILED", `Could not unwrap ${where} with master key v${wrapped.kekVersion} (wrong key or tampered row)`);
    }
    return dataKey;
  }
}
