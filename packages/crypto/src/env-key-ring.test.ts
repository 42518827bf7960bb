import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InMemoryDataKeyStore } from "./data-key-store";
import { createEnvelope } from "./envelope";
import { EnvKeyRing, parseMasterKeys } from "./env-key-ring";
import { CryptoError } from "./errors";
import { rewrapTenantKeys } from "./rewrap";
import { caught, errorCode, masterKey } from "./test-fixtures";

const ctx = { tenantId: "t1", dataKeyVersion: 1 };

const configError = (spec: string | undefined, pin?: string): CryptoError => {
  try {
    new EnvKeyRing(spec, { currentVersion: pin });
  } catch (err) {
    if (err instanceof CryptoError) return err;
    throw err;
  }
  throw new Error("expected BAD_MASTER_KEY_CONFIG");
};

describe("master key configuration", () => {
  it("parses versioned keys; the highest version is current", async () => {
    const ring = new EnvKeyRing(`2:${masterKey()}, 1:${masterKey()}`);
    expect(ring.versions).toEqual([1, 2]);
    expect(await ring.currentVersion()).toBe(2);
  });

  it("OCSUITE_MASTER_KEY_CURRENT pins an older version during roll-out", async () => {
    const ring = EnvKeyRing.fromEnv({ OCSUITE_MASTER_KEYS: `1:${masterKey()},2:${masterKey()}`, OCSUITE_MASTER_KEY_CURRENT: "1" });
    expect(await ring.currentVersion()).toBe(1);
    expect((await ring.wrap(randomBytes(32), ctx)).kekVersion).toBe(1);
  });

  it("accepts unpadded base64", () => {
    expect(() => new EnvKeyRing(`1:${masterKey().replace(/=+$/, "")}`)).not.toThrow();
  });

  const good = masterKey();
  it.each([
    ["unset", undefined, /is not set/],
    ["empty", "  ", /is not set/],
    ["no version", good, /entry 1 must look like <version>:<base64 key>/],
    ["version 0", `0:${good}`, /entry 1: version must be a positive integer/],
    ["non-numeric version", `v1:${good}`, /entry 1: version must be a positive integer/],
    ["duplicate version", `1:${good},1:${masterKey()}`, /version 1 appears more than once/],
    ["same key twice", `1:${good},2:${good}`, /versions 1 and 2 have the same key/],
    ["not base64", "1:not*base64!", /version 1: key is not valid base64/],
    ["16-byte key", `1:${randomBytes(16).toString("base64")}`, /version 1: key must be 32 bytes, got 16/],
    ["64-byte key", `1:${randomBytes(64).toString("base64")}`, /key must be 32 bytes, got 64/],
    ["all-zero key", `1:${Buffer.alloc(32).toString("base64")}`, /all zeros/],
    ["trailing comma", `1:${good},`, /entry 2 must look like/],
  ])("rejects %s with BAD_MASTER_KEY_CONFIG and a clear message", (_name, spec, message) => {
    const err = configError(spec);
    expect(err.code).toBe("BAD_MASTER_KEY_CONFIG");
    expect(err.message).toMatch(message);
    expect(err.message).toContain("OCSUITE_MASTER_KEYS");
    expect(err.message).not.toContain(good);
  });

  it("rejects a pin to an unknown version", () => {
    expect(configError(`1:${masterKey()}`, "3").message).toMatch(/OCSUITE_MASTER_KEY_CURRENT=3 is not one of the configured versions/);
  });

  it("rejects a bad kekId", () => {
    expect(() => new EnvKeyRing(`1:${masterKey()}`, { kekId: "has space" })).toThrow(CryptoError);
  });

  it("parseMasterKeys is usable on its own for boot-time validation", () => {
    expect(parseMasterKeys(`3:${masterKey()}`).current).toBe(3);
  });

  it("the key ring does not reveal key material when inspected or serialised", () => {
    const k = masterKey();
    const ring = new EnvKeyRing(`1:${k}`);
    expect(JSON.stringify(ring)).not.toContain(k);
    expect(String(Object.values(ring))).not.toContain(k);
  });
});

describe("wrap / unwrap", () => {
  it("round-trips a data key; the wrap is bound to tenant and data-key version", async () => {
    const ring = new EnvKeyRing(`1:${masterKey()}`);
    const dek = randomBytes(32);
    const wrapped = await ring.wrap(dek, ctx);
    expect(wrapped).toMatchObject({ kekId: "env", kekVersion: 1 });
    expect(Buffer.from(wrapped.wrapped).includes(dek)).toBe(false);
    expect(await ring.unwrap(wrapped, ctx)).toEqual(dek);
    expect(await errorCode(() => ring.unwrap(wrapped, { tenantId: "t2", dataKeyVersion: 1 }))).toBe("DECRYPT_FAILED");
    expect(await errorCode(() => ring.unwrap(wrapped, { tenantId: "t1", dataKeyVersion: 2 }))).toBe("DECRYPT_FAILED");
    // Relabeling the KEK version (or id) does not help either.
    const two = new EnvKeyRing(`1:${masterKey()},2:${masterKey()}`);
    expect(await errorCode(() => two.unwrap({ ...wrapped, kekVersion: 2 }, ctx))).toBe("DECRYPT_FAILED");
    expect(await errorCode(() => ring.unwrap({ ...wrapped, kekId: "other" }, ctx))).toBe("UNKNOWN_KEY_VERSION");
  });

  it("a different master key cannot unwrap", async () => {
    const wrapped = await new EnvKeyRing(`1:${masterKey()}`).wrap(randomBytes(32), ctx);
    expect(await errorCode(() => new EnvKeyRing(`1:${masterKey()}`).unwrap(wrapped, ctx))).toBe("DECRYPT_FAILED");
  });
});

describe("master key rotation", () => {
  it("a data key wrapped under KEK v1 still unwraps after v2 is added; rewrap moves it to v2; then v1 can be removed", async () => {
    const k1 = masterKey();
    const k2 = masterKey();
    const store = new InMemoryDataKeyStore();
    const before = createEnvelope({ keyRing: new EnvKeyRing(`1:${k1}`), store });
    await before.ensureTenantKey("t1");
    await before.ensureTenantKey("t2");
    await before.rotateTenantKey("t2");
    const c1 = await before.encryptField({ tenantId: "t1", field: "f", plaintext: "one" });
    const c2 = await before.encryptField({ tenantId: "t2", field: "f", plaintext: "two" });

    // Deploy with v2 added: v2 is current for new wraps, v1 still unwraps.
    const ring = new EnvKeyRing(`1:${k1},2:${k2}`);
    const during = createEnvelope({ keyRing: ring, store });
    expect(await during.decryptField({ tenantId: "t1", field: "f", ciphertext: c1 })).toBe("one");
    expect((await during.rotateTenantKey("t1")).kekVersion).toBe(2);
    expect((await during.listTenantKeys("t1")).map((k) => [k.version, k.kekVersion])).toEqual([
      [1, 1],
      [2, 2],
    ]);

    // Rewrap every tenant; a second run is a no-op.
    const results = await Promise.all(store.tenantIds().map((tenantId) => rewrapTenantKeys({ keyRing: ring, store, tenantId })));
    expect(results.map((r) => [r.tenantId, r.rewrapped, r.alreadyCurrent])).toEqual([
      ["t1", 1, 1],
      ["t2", 2, 0],
    ]);
    expect((await during.rewrapTenantKeys("t2")).rewrapped).toBe(0);
    for (const t of ["t1", "t2"]) expect((await during.listTenantKeys(t)).every((k) => k.kekVersion === 2)).toBe(true);

    // Now the deploy without v1: everything still decrypts.
    const after = createEnvelope({ keyRing: new EnvKeyRing(`2:${k2}`), store });
    expect(await after.decryptField({ tenantId: "t1", field: "f", ciphertext: c1 })).toBe("one");
    expect(await after.decryptField({ tenantId: "t2", field: "f", ciphertext: c2 })).toBe("two");
  });

  it("removing a KEK version before rewrapping fails loudly with UNKNOWN_KEY_VERSION", async () => {
    const k1 = masterKey();
    const store = new InMemoryDataKeyStore();
    const before = createEnvelope({ keyRing: new EnvKeyRing(`1:${k1}`), store });
    await before.ensureTenantKey("t1");
    const c = await before.encryptField({ tenantId: "t1", field: "f", plaintext: "x" });
    const after = createEnvelope({ keyRing: new EnvKeyRing(`2:${masterKey()}`), store });
    const err = await caught(() => after.decryptField({ tenantId: "t1", field: "f", ciphertext: c }));
    expect(err.code).toBe("UNKNOWN_KEY_VERSION");
    expect(err.message).toMatch(/master key v1, which is not in OCSUITE_MASTER_KEYS \(known: 2\)/);
  });

  it("rewrap also covers retired data keys (retiring stays reversible)", async () => {
    const store = new InMemoryDataKeyStore();
    const k1 = masterKey();
    const env1 = createEnvelope({ keyRing: new EnvKeyRing(`1:${k1}`), store, retireGraceMs: 0 });
    await env1.ensureTenantKey("t1");
    await env1.rotateTenantKey("t1");
    await env1.retireTenantKey("t1", 1);
    const ring = new EnvKeyRing(`1:${k1},2:${masterKey()}`);
    expect((await rewrapTenantKeys({ keyRing: ring, store, tenantId: "t1" })).rewrapped).toBe(2);
  });

  it("concurrent rewraps are idempotent (compare-and-set)", async () => {
    const store = new InMemoryDataKeyStore();
    const k1 = masterKey();
    const env1 = createEnvelope({ keyRing: new EnvKeyRing(`1:${k1}`), store });
    await env1.ensureTenantKey("t1");
    const ring = new EnvKeyRing(`1:${k1},2:${masterKey()}`);
    const [a, b] = await Promise.all([rewrapTenantKeys({ keyRing: ring, store, tenantId: "t1" }), rewrapTenantKeys({ keyRing: ring, store, tenantId: "t1" })]);
    expect((a?.rewrapped ?? 0) + (b?.rewrapped ?? 0)).toBe(1);
    expect((a?.skippedConcurrent ?? 0) + (b?.skippedConcurrent ?? 0)).toBe(1);
  });
});
