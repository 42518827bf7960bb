import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InMemoryDataKeyStore } from "./data-key-store";
import { createEnvelope } from "./envelope";
import { CryptoError } from "./errors";
import { KmsKeyRing, type KmsAdapter } from "./kms-key-ring";
import { LocalKmsAdapter } from "./local-kms-adapter";
import { errorCode } from "./test-fixtures";

const ctx = { tenantId: "t1", dataKeyVersion: 1 };

describe("KmsKeyRing with the local adapter", () => {
  it("round-trips field encryption through the envelope", async () => {
    const kms = new LocalKmsAdapter("projects/p/locations/l/keyRings/r/cryptoKeys/ocsuite");
    const store = new InMemoryDataKeyStore();
    const envelope = createEnvelope({ keyRing: new KmsKeyRing(kms), store });
    const key = await envelope.ensureTenantKey("t1");
    expect(key).toMatchObject({ kekId: "projects/p/locations/l/keyRings/r/cryptoKeys/ocsuite", kekVersion: 1 });
    const c = await envelope.encryptField({ tenantId: "t1", field: "f", plaintext: "über" });
    expect(await envelope.decryptField({ tenantId: "t1", field: "f", ciphertext: c })).toBe("über");
  });

  it("binds the KMS context: a wrapped key moved to another tenant or version fails", async () => {
    const ring = new KmsKeyRing(new LocalKmsAdapter());
    const dek = randomBytes(32);
    const wrapped = await ring.wrap(dek, ctx);
    expect(await ring.unwrap(wrapped, ctx)).toEqual(dek);
    expect(await errorCode(() => ring.unwrap(wrapped, { tenantId: "t2", dataKeyVersion: 1 }))).toBe("DECRYPT_FAILED");
    expect(await errorCode(() => ring.unwrap(wrapped, { tenantId: "t1", dataKeyVersion: 2 }))).toBe("DECRYPT_FAILED");
    expect(await errorCode(() => ring.unwrap({ ...wrapped, kekId: "other" }, ctx))).toBe("UNKNOWN_KEY_VERSION");
  });

  it("KMS key rotation: old wraps still unwrap, rewrap moves them, a destroyed version fails", async () => {
    const kms = new LocalKmsAdapter();
    const store = new InMemoryDataKeyStore();
    const envelope = createEnvelope({ keyRing: new KmsKeyRing(kms), store });
    await envelope.ensureTenantKey("t1");
    const c = await envelope.encryptField({ tenantId: "t1", field: "f", plaintext: "x" });
    expect(kms.rotate()).toBe(2);
    envelope.invalidateCache();
    expect(await envelope.decryptField({ tenantId: "t1", field: "f", ciphertext: c })).toBe("x");
    expect(await envelope.rewrapTenantKeys("t1")).toMatchObject({ rewrapped: 1, alreadyCurrent: 0 });
    expect((await envelope.listTenantKeys("t1"))[0]?.kekVersion).toBe(2);
    kms.destroyVersion(1);
    envelope.invalidateCache();
    expect(await envelope.decryptField({ tenantId: "t1", field: "f", ciphertext: c })).toBe("x");
  });

  it("unwrapping after the KMS version was destroyed reports UNKNOWN_KEY_VERSION", async () => {
    const kms = new LocalKmsAdapter();
    const ring = new KmsKeyRing(kms);
    const wrapped = await ring.wrap(randomBytes(32), ctx);
    kms.rotate();
    kms.destroyVersion(1);
    expect(await errorCode(() => ring.unwrap(wrapped, ctx))).toBe("UNKNOWN_KEY_VERSION");
  });

  it("maps provider failures to DECRYPT_FAILED and keeps the cause", async () => {
    const failing: KmsAdapter = {
      keyId: "arn:aws:kms:eu-west-1:111122223333:key/abc",
      currentKeyVersion: async () => 1,
      encrypt: async (plaintext) => ({ ciphertext: Uint8Array.from(plaintext), keyVersion: 1 }),
      decrypt: async () => {
        throw new Error("AccessDeniedException");
      },
    };
    const ring = new KmsKeyRing(failing);
    const wrapped = await ring.wrap(randomBytes(32), ctx);
    const err = await ring.unwrap(wrapped, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe("DECRYPT_FAILED");
    expect(((err as CryptoError).cause as Error).message).toBe("AccessDeniedException");
  });

  it("rejects a KMS that returns a key of the wrong size", async () => {
    const short: KmsAdapter = {
      keyId: "k",
      currentKeyVersion: async () => 1,
      encrypt: async () => ({ ciphertext: new Uint8Array(4), keyVersion: 1 }),
      decrypt: async () => new Uint8Array(16),
    };
    const ring = new KmsKeyRing(short);
    expect(await errorCode(async () => ring.unwrap(await ring.wrap(randomBytes(32), ctx), ctx))).toBe("DECRYPT_FAILED");
  });
});
