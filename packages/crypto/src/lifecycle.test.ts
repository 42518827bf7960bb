/**
 * Rollback (activateTenantKey) and crypto-shredding (destroyTenantKey): the two
 * lifecycle steps the rotation jobs build on. In-memory store, fake clock.
 */
import { describe, expect, it } from "vitest";
import { errorCode, setup } from "./test-fixtures";

const T = "tenant-lifecycle";
const F = "provider-credential:c1";

describe("activateTenantKey (rollback)", () => {
  it("makes the older version active again, demotes the newer one, and both still decrypt", async () => {
    const { envelope, tick } = setup();
    await envelope.ensureTenantKey(T);
    const v1 = await envelope.encryptField({ tenantId: T, field: F, plaintext: "written under v1" });
    await envelope.rotateTenantKey(T);
    const v2 = await envelope.encryptField({ tenantId: T, field: F, plaintext: "written under v2" });
    expect(v2.startsWith("ocs1.2.")).toBe(true);
    tick(1_000);

    const info = await envelope.activateTenantKey(T, 1);
    expect(info).toMatchObject({ version: 1, status: "active" });
    const keys = await envelope.listTenantKeys(T);
    expect(keys.map((k) => [k.version, k.status])).toEqual([
      [1, "active"],
      [2, "decrypt-only"],
    ]);
    // The demotion is recorded, so retiring v2 waits for the grace period from the rollback.
    expect(keys[1]!.deactivatedAt?.toISOString()).toBe("2026-12-01T00:00:01.000Z");
    expect((await envelope.encryptField({ tenantId: T, field: F, plaintext: "after rollback" })).startsWith("ocs1.1.")).toBe(true);
    expect(await envelope.decryptField({ tenantId: T, field: F, ciphertext: v1 })).toBe("written under v1");
    expect(await envelope.decryptField({ tenantId: T, field: F, ciphertext: v2 })).toBe("written under v2");
    // reencrypt now moves v2 ciphertexts back to v1.
    expect((await envelope.reencrypt({ tenantId: T, field: F, ciphertext: v2 })).startsWith("ocs1.1.")).toBe(true);
  });

  it("the grace period after a rollback is counted from the rollback, not from the version's creation", async () => {
    const { envelope, tick } = setup({ retireGraceMs: 60_000 });
    await envelope.ensureTenantKey(T);
    await envelope.rotateTenantKey(T);
    tick(120_000);
    await envelope.activateTenantKey(T, 1);
    expect(await errorCode(() => envelope.retireTenantKey(T, 2))).toBe("KEY_STATE_CONFLICT");
    tick(60_000);
    await envelope.retireTenantKey(T, 2);
    expect((await envelope.listTenantKeys(T))[1]).toMatchObject({ status: "retired" });
  });

  it("refuses retired (restore first), destroyed and unknown versions; activating the active one is a no-op", async () => {
    const { envelope, tick } = setup();
    await envelope.ensureTenantKey(T);
    await envelope.rotateTenantKey(T);
    tick(120_000);
    await envelope.retireTenantKey(T, 1);
    expect(await errorCode(() => envelope.activateTenantKey(T, 1))).toBe("KEY_STATE_CONFLICT");
    expect(await errorCode(() => envelope.activateTenantKey(T, 7))).toBe("UNKNOWN_KEY_VERSION");
    await envelope.destroyTenantKey(T, 1);
    expect(await errorCode(() => envelope.activateTenantKey(T, 1))).toBe("KEY_DESTROYED");
    expect(await envelope.activateTenantKey(T, 2)).toMatchObject({ version: 2, status: "active" });
    expect((await envelope.listTenantKeys(T)).filter((k) => k.status === "active")).toHaveLength(1);
  });
});

describe("destroyTenantKey (crypto-shredding)", () => {
  it("erases a retired version's material: its ciphertexts fail with KEY_DESTROYED forever, restore is refused", async () => {
    const { envelope, store, tick } = setup();
    await envelope.ensureTenantKey(T);
    const old = await envelope.encryptField({ tenantId: T, field: F, plaintext: "shred me" });
    await envelope.rotateTenantKey(T);
    tick(120_000);
    await envelope.retireTenantKey(T, 1);
    await envelope.destroyTenantKey(T, 1);
    await envelope.destroyTenantKey(T, 1); // idempotent

    const row = await store.get(T, 1);
    expect(row).toMatchObject({ status: "destroyed" });
    expect(row!.wrappedKey.byteLength).toBe(0);
    expect(await errorCode(() => envelope.decryptField({ tenantId: T, field: F, ciphertext: old }))).toBe("KEY_DESTROYED");
    expect(await errorCode(() => envelope.restoreTenantKey(T, 1))).toBe("KEY_DESTROYED");
    await envelope.retireTenantKey(T, 1); // already beyond retired: no-op, not an error
    expect((await store.get(T, 1))!.status).toBe("destroyed");
    // Rewrap after a master-key rotation skips the destroyed row instead of failing on it.
    expect(await envelope.rewrapTenantKeys(T)).toMatchObject({ rewrapped: 0, alreadyCurrent: 2 });
  });

  it("refuses active and decrypt-only versions (only retired ones can be destroyed)", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    await envelope.rotateTenantKey(T);
    expect(await errorCode(() => envelope.destroyTenantKey(T, 2))).toBe("KEY_STATE_CONFLICT");
    expect(await errorCode(() => envelope.destroyTenantKey(T, 1))).toBe("KEY_STATE_CONFLICT");
    expect(await errorCode(() => envelope.destroyTenantKey(T, 5))).toBe("UNKNOWN_KEY_VERSION");
    expect((await envelope.listTenantKeys(T)).map((k) => k.status)).toEqual(["decrypt-only", "active"]);
  });
});
