import { isCryptoError, type DataKeyRecord } from "@ocsuite/crypto";
import { describe, expect, it } from "vitest";
import { createTenant } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { PrismaDataKeyStore } from "./data-key-store";
import { tenantCrypto } from "./tenant-crypto";

const store = new PrismaDataKeyStore();

const record = (tenantId: string, version: number, over: Partial<DataKeyRecord> = {}): DataKeyRecord => ({
  tenantId,
  version,
  wrappedKey: new Uint8Array([1, 2, 3, 4]),
  kekId: "env",
  kekVersion: 1,
  status: "active",
  createdAt: new Date(),
  ...over,
});

describe("PrismaDataKeyStore", () => {
  it("inserts, reads back a copy, and returns false (not throw) on a duplicate version", async () => {
    const t = await createTenant();
    expect(await store.insert(record(t.id, 1))).toBe(true);
    expect(await store.insert(record(t.id, 1, { wrappedKey: new Uint8Array([9]) }))).toBe(false);
    const got = await store.get(t.id, 1);
    expect(got).toMatchObject({ tenantId: t.id, version: 1, kekId: "env", kekVersion: 1, status: "active" });
    expect(Array.from(got!.wrappedKey)).toEqual([1, 2, 3, 4]);
    expect(await store.get(t.id, 2)).toBeNull();
    expect(await store.list(t.id)).toHaveLength(1);
  });

  it("concurrent inserts of the same version: exactly one wins", async () => {
    const t = await createTenant();
    const results = await Promise.all([1, 2, 3, 4].map((i) => store.insert(record(t.id, 1, { wrappedKey: new Uint8Array([i]) }))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.list(t.id)).toHaveLength(1);
  });

  it("updateStatus reports whether the row exists", async () => {
    const t = await createTenant();
    await store.insert(record(t.id, 1));
    expect(await store.updateStatus(t.id, 1, "decrypt-only")).toBe(true);
    expect((await store.get(t.id, 1))!.status).toBe("decrypt-only");
    expect(await store.updateStatus(t.id, 7, "retired")).toBe(false);
  });

  it("updateWrapping is a compare-and-set on the expected KEK id and version", async () => {
    const t = await createTenant();
    await store.insert(record(t.id, 1));
    const next = { wrappedKey: new Uint8Array([5, 6]), kekId: "env", kekVersion: 2 };
    expect(await store.updateWrapping(t.id, 1, next, { kekId: "env", kekVersion: 1 })).toBe(true);
    // A second job with the same (now stale) expectation does nothing.
    expect(await store.updateWrapping(t.id, 1, { ...next, wrappedKey: new Uint8Array([7]) }, { kekId: "env", kekVersion: 1 })).toBe(false);
    const got = await store.get(t.id, 1);
    expect(got).toMatchObject({ kekVersion: 2 });
    expect(Array.from(got!.wrappedKey)).toEqual([5, 6]);
  });
});

describe("tenantCrypto() through the Prisma store", () => {
  it("is a process singleton", () => {
    expect(tenantCrypto()).toBe(tenantCrypto());
  });

  it("round-trips a field and creates the tenant's v1 key on first use (wrapped only)", async () => {
    const t = await createTenant();
    const crypto = tenantCrypto();
    const secret = "sk-round-trip-0123456789";
    const c = await crypto.encryptField({ tenantId: t.id, field: "test.secret", plaintext: secret });
    expect(c.startsWith("ocs1.1.")).toBe(true);
    expect(c).not.toContain(secret);
    expect(await crypto.decryptField({ tenantId: t.id, field: "test.secret", ciphertext: c })).toBe(secret);
    const rows = await db.tenantDataKey.findMany({ where: { tenantId: t.id } });
    expect(rows).toMatchObject([{ version: 1, status: "active", kekId: expect.any(String), kekVersion: 1 }]);
  });

  it("a ciphertext copied to another tenant does not decrypt", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const crypto = tenantCrypto();
    await crypto.ensureTenantKey(b.id);
    const c = await crypto.encryptField({ tenantId: a.id, field: "test.secret", plaintext: "tenant-a-only" });
    const err = await crypto.decryptField({ tenantId: b.id, field: "test.secret", ciphertext: c }).catch((e: unknown) => e);
    expect(isCryptoError(err, "DECRYPT_FAILED")).toBe(true);
  });

  it("after a rotation old ciphertexts still decrypt and new ones use v2", async () => {
    const t = await createTenant();
    const crypto = tenantCrypto();
    const old = await crypto.encryptField({ tenantId: t.id, field: "test.secret", plaintext: "before rotation" });
    expect(old.startsWith("ocs1.1.")).toBe(true);
    await crypto.rotateTenantKey(t.id);
    const fresh = await crypto.encryptField({ tenantId: t.id, field: "test.secret", plaintext: "after rotation" });
    expect(fresh.startsWith("ocs1.2.")).toBe(true);
    expect(await crypto.decryptField({ tenantId: t.id, field: "test.secret", ciphertext: old })).toBe("before rotation");
    expect(await crypto.decryptField({ tenantId: t.id, field: "test.secret", ciphertext: fresh })).toBe("after rotation");
    const rows = await db.tenantDataKey.findMany({ where: { tenantId: t.id }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.status])).toEqual([
      [1, "decrypt-only"],
      [2, "active"],
    ]);
  });
});
