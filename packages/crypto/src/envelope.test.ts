import { describe, expect, it } from "vitest";
import { needsReencryption, parseCiphertextHeader } from "./ciphertext";
import { caught, errorCode, setup } from "./test-fixtures";

const T = "tenant_a";

describe("round trip", () => {
  it.each([
    ["empty string", ""],
    ["ascii", "4111 1111 1111 1111"],
    ["unicode", "Zoë Ødegård — 東京 🚀 \u0000 end"],
    ["64 KiB", "x".repeat(64 * 1024)],
    ["64 KiB of multibyte text", "é€😀".repeat(64 * 1024 / 9 + 1)],
  ])("%s", async (_name, plaintext) => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const ciphertext = await envelope.encryptField({ tenantId: T, field: "customer.taxId", plaintext });
    expect(ciphertext).toMatch(/^ocs1\.1\.[A-Za-z0-9_-]+$/);
    if (plaintext.length > 0) expect(ciphertext).not.toContain(plaintext.slice(0, 16));
    await expect(envelope.decryptField({ tenantId: T, field: "customer.taxId", ciphertext })).resolves.toBe(plaintext);
  });

  it("encrypting the same value twice gives different ciphertexts (fresh nonce)", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const a = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "same" });
    const b = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "same" });
    expect(a).not.toBe(b);
  });

  it("parseCiphertextHeader reads format and key version", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const c = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "v" });
    expect(parseCiphertextHeader(c)).toEqual({ formatVersion: 1, keyVersion: 1 });
  });
});

describe("binding to tenant and field", () => {
  it("a ciphertext copied to another tenant fails", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    await envelope.ensureTenantKey("tenant_b");
    const c = await envelope.encryptField({ tenantId: T, field: "email", plaintext: "a@example.com" });
    expect(await errorCode(() => envelope.decryptField({ tenantId: "tenant_b", field: "email", ciphertext: c }))).toBe("DECRYPT_FAILED");
  });

  it("a ciphertext copied to another field of the same tenant fails", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const c = await envelope.encryptField({ tenantId: T, field: "email", plaintext: "a@example.com" });
    expect(await errorCode(() => envelope.decryptField({ tenantId: T, field: "phone", ciphertext: c }))).toBe("DECRYPT_FAILED");
    expect(await errorCode(() => envelope.decryptField({ tenantId: T, field: "Email", ciphertext: c }))).toBe("DECRYPT_FAILED");
  });

  it("a tenant without that key version gets UNKNOWN_KEY_VERSION", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    await envelope.rotateTenantKey(T);
    await envelope.ensureTenantKey("tenant_b");
    const c = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" }); // v2
    expect(await errorCode(() => envelope.decryptField({ tenantId: "tenant_b", field: "f", ciphertext: c }))).toBe("UNKNOWN_KEY_VERSION");
  });
});

describe("key versions", () => {
  it("an unknown version fails with UNKNOWN_KEY_VERSION", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const c = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" });
    const forged = c.replace(/^ocs1\.1\./, "ocs1.7.");
    expect(await errorCode(() => envelope.decryptField({ tenantId: T, field: "f", ciphertext: forged }))).toBe("UNKNOWN_KEY_VERSION");
  });

  it("encrypting for a tenant without keys fails with NO_ACTIVE_KEY (no silent key creation)", async () => {
    const { envelope, store } = setup();
    const err = await caught(() => envelope.encryptField({ tenantId: "nobody", field: "f", plaintext: "secret-value" }));
    expect(err.code).toBe("NO_ACTIVE_KEY");
    expect(err.message).toContain("ensureTenantKey");
    expect(store.tenantIds()).toEqual([]);
  });

  it("autoCreateTenantKeys creates v1 on first encryption", async () => {
    const { envelope } = setup({ autoCreateTenantKeys: true });
    const c = await envelope.encryptField({ tenantId: "new", field: "f", plaintext: "x" });
    expect(parseCiphertextHeader(c).keyVersion).toBe(1);
    expect((await envelope.listTenantKeys("new")).map((k) => [k.version, k.status])).toEqual([[1, "active"]]);
  });

  it("ensureTenantKey is idempotent, also when called concurrently", async () => {
    const { envelope } = setup();
    const results = await Promise.all([envelope.ensureTenantKey(T), envelope.ensureTenantKey(T), envelope.ensureTenantKey(T)]);
    expect(results.map((r) => r.version)).toEqual([1, 1, 1]);
    expect(await envelope.listTenantKeys(T)).toHaveLength(1);
    expect((await envelope.ensureTenantKey(T)).version).toBe(1);
  });

  it("listTenantKeys never exposes wrapped key bytes", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const [key] = await envelope.listTenantKeys(T);
    expect(key).toBeDefined();
    expect(Object.keys(key ?? {}).sort()).toEqual(["createdAt", "kekId", "kekVersion", "status", "tenantId", "version"]);
  });
});

describe("data-key rotation", () => {
  it("old ciphertexts decrypt after rotation, new ones use v2, reencrypt moves v1 → v2, retire makes v1 fail", async () => {
    const { envelope, tick } = setup({ cache: { ttlMs: 60_000 } });
    await envelope.ensureTenantKey(T);
    const rows = await Promise.all(["a", "b", "c"].map((p) => envelope.encryptField({ tenantId: T, field: "note", plaintext: p })));
    expect(rows.every((c) => parseCiphertextHeader(c).keyVersion === 1)).toBe(true);

    const v2 = await envelope.rotateTenantKey(T);
    expect(v2).toMatchObject({ version: 2, status: "active" });
    expect((await envelope.listTenantKeys(T)).map((k) => [k.version, k.status])).toEqual([
      [1, "decrypt-only"],
      [2, "active"],
    ]);
    expect(await envelope.getActiveVersion(T)).toBe(2);

    // Old rows still decrypt; new writes use v2.
    expect(await Promise.all(rows.map((ciphertext) => envelope.decryptField({ tenantId: T, field: "note", ciphertext })))).toEqual(["a", "b", "c"]);
    const fresh = await envelope.encryptField({ tenantId: T, field: "note", plaintext: "d" });
    expect(parseCiphertextHeader(fresh).keyVersion).toBe(2);

    // The batch job: find stale rows by header, re-encrypt them.
    expect(rows.map((c) => needsReencryption(c, 2))).toEqual([true, true, true]);
    expect(needsReencryption(fresh, 2)).toBe(false);
    const moved = await Promise.all(rows.map((ciphertext) => envelope.reencrypt({ tenantId: T, field: "note", ciphertext })));
    expect(moved.map((c) => parseCiphertextHeader(c).keyVersion)).toEqual([2, 2, 2]);
    expect(await envelope.reencrypt({ tenantId: T, field: "note", ciphertext: fresh })).toBe(fresh); // no-op when current
    expect(await Promise.all(moved.map((ciphertext) => envelope.decryptField({ tenantId: T, field: "note", ciphertext })))).toEqual(["a", "b", "c"]);

    // Retire: refused for the active version and within the grace period.
    expect(await errorCode(() => envelope.retireTenantKey(T, 2))).toBe("KEY_STATE_CONFLICT");
    expect(await errorCode(() => envelope.retireTenantKey(T, 1))).toBe("KEY_STATE_CONFLICT");
    expect(await errorCode(() => envelope.retireTenantKey(T, 9))).toBe("UNKNOWN_KEY_VERSION");
    tick(60_000);
    await envelope.retireTenantKey(T, 1);
    await envelope.retireTenantKey(T, 1); // idempotent
    const err = await caught(() => envelope.decryptField({ tenantId: T, field: "note", ciphertext: rows[0] ?? "" }));
    expect(err.code).toBe("KEY_RETIRED");
    expect(err.message).toMatch(/v1 is retired/);
    // v2 rows are unaffected.
    expect(await envelope.decryptField({ tenantId: T, field: "note", ciphertext: moved[0] ?? "" })).toBe("a");
    // Reencrypting a row that the job missed also reports the retirement.
    expect(await errorCode(() => envelope.reencrypt({ tenantId: T, field: "note", ciphertext: rows[1] ?? "" }))).toBe("KEY_RETIRED");

    // Retiring is reversible (like lowering Vault's min_decryption_version).
    await envelope.restoreTenantKey(T, 1);
    expect(await envelope.decryptField({ tenantId: T, field: "note", ciphertext: rows[0] ?? "" })).toBe("a");
    expect((await envelope.listTenantKeys(T)).find((k) => k.version === 1)?.status).toBe("decrypt-only");
  });

  it("several rotations: every non-retired version decrypts", async () => {
    const { envelope } = setup();
    await envelope.ensureTenantKey(T);
    const byVersion: string[] = [];
    for (let v = 1; v <= 4; v++) {
      byVersion.push(await envelope.encryptField({ tenantId: T, field: "f", plaintext: `v${v}` }));
      if (v < 4) await envelope.rotateTenantKey(T);
    }
    expect(byVersion.map((c) => parseCiphertextHeader(c).keyVersion)).toEqual([1, 2, 3, 4]);
    expect(await Promise.all(byVersion.map((ciphertext) => envelope.decryptField({ tenantId: T, field: "f", ciphertext })))).toEqual(["v1", "v2", "v3", "v4"]);
    expect((await envelope.listTenantKeys(T)).filter((k) => k.status === "active").map((k) => k.version)).toEqual([4]);
  });

  it("a crash between inserting v2 and demoting v1 still encrypts with v2", async () => {
    const { envelope, store } = setup();
    await envelope.ensureTenantKey(T);
    await envelope.rotateTenantKey(T);
    await store.updateStatus(T, 1, "active"); // simulate the half-finished rotation
    envelope.invalidateCache(T);
    expect(await envelope.getActiveVersion(T)).toBe(2);
  });

  it("a tenant whose keys are all deactivated cannot encrypt", async () => {
    const { envelope, store } = setup();
    await envelope.ensureTenantKey(T);
    await store.updateStatus(T, 1, "decrypt-only");
    envelope.invalidateCache(T);
    expect(await errorCode(() => envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" }))).toBe("NO_ACTIVE_KEY");
    expect(await errorCode(() => envelope.ensureTenantKey(T))).toBe("NO_ACTIVE_KEY");
    expect((await envelope.rotateTenantKey(T)).version).toBe(2);
    expect(parseCiphertextHeader(await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" })).keyVersion).toBe(2);
  });
});

describe("data-key cache", () => {
  it("unwraps each (tenant, version) once, also for a burst of concurrent cold requests", async () => {
    const { envelope, keyRing } = setup();
    await envelope.ensureTenantKey(T);
    const cs = await Promise.all(Array.from({ length: 50 }, (_, i) => envelope.encryptField({ tenantId: T, field: "f", plaintext: String(i) })));
    await Promise.all(cs.map((ciphertext) => envelope.decryptField({ tenantId: T, field: "f", ciphertext })));
    expect(keyRing.unwraps).toBe(1);
  });

  it("invalidateCache(tenant) forces a fresh unwrap for that tenant only", async () => {
    const { envelope, keyRing } = setup();
    await envelope.ensureTenantKey(T);
    await envelope.ensureTenantKey("tenant_b");
    await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" });
    await envelope.encryptField({ tenantId: "tenant_b", field: "f", plaintext: "x" });
    expect(keyRing.unwraps).toBe(2);
    envelope.invalidateCache(T);
    await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" });
    await envelope.encryptField({ tenantId: "tenant_b", field: "f", plaintext: "x" });
    expect(keyRing.unwraps).toBe(3);
    envelope.invalidateCache();
    await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" });
    await envelope.encryptField({ tenantId: "tenant_b", field: "f", plaintext: "x" });
    expect(keyRing.unwraps).toBe(5);
  });

  it("invalidation makes a change made by another process visible before the TTL", async () => {
    const { envelope, store, keyRing } = setup();
    await envelope.ensureTenantKey(T);
    const c = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" });
    // Another process retires v1 directly in the shared store.
    await store.updateStatus(T, 1, "retired");
    expect(await envelope.decryptField({ tenantId: T, field: "f", ciphertext: c })).toBe("x"); // still cached
    envelope.invalidateCache(T);
    expect(await errorCode(() => envelope.decryptField({ tenantId: T, field: "f", ciphertext: c }))).toBe("KEY_RETIRED");
    expect(keyRing.unwraps).toBe(1); // retired keys are not unwrapped
  });

  it("entries expire after the TTL", async () => {
    const { envelope, store, tick } = setup({ cache: { ttlMs: 1_000 } });
    await envelope.ensureTenantKey(T);
    const c = await envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" });
    await store.updateStatus(T, 1, "retired");
    tick(999);
    expect(await envelope.decryptField({ tenantId: T, field: "f", ciphertext: c })).toBe("x");
    tick(1);
    expect(await errorCode(() => envelope.decryptField({ tenantId: T, field: "f", ciphertext: c }))).toBe("KEY_RETIRED");
  });

  it("is bounded: the least recently used key is evicted", async () => {
    const { envelope, keyRing } = setup({ cache: { maxEntries: 2 } });
    for (const t of ["a", "b", "c"]) await envelope.ensureTenantKey(t);
    const enc = (tenantId: string) => envelope.encryptField({ tenantId, field: "f", plaintext: "x" });
    await enc("a");
    await enc("b");
    expect(keyRing.unwraps).toBe(2);
    await enc("a"); // a is now most recent
    await enc("c"); // evicts b
    expect(keyRing.unwraps).toBe(3);
    await enc("a");
    expect(keyRing.unwraps).toBe(3);
    await enc("b");
    expect(keyRing.unwraps).toBe(4);
  });

  it("a failed unwrap is not cached", async () => {
    const { envelope, keyRing } = setup();
    await envelope.ensureTenantKey(T);
    const real = keyRing.unwrap;
    keyRing.unwrap = async () => {
      throw new Error("KMS unavailable");
    };
    await expect(envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" })).rejects.toThrow("KMS unavailable");
    keyRing.unwrap = real;
    await expect(envelope.encryptField({ tenantId: T, field: "f", plaintext: "x" })).resolves.toMatch(/^ocs1\.1\./);
  });
});

describe("errors", () => {
  it("never include plaintext, ciphertext payload or key material", async () => {
    const { envelope, store } = setup();
    await envelope.ensureTenantKey(T);
    const secret = "SUPER-SECRET-PLAINTEXT";
    const c = await envelope.encryptField({ tenantId: T, field: "f", plaintext: secret });
    const payload = c.split(".")[2] ?? "";
    const wrapped = Buffer.from((await store.get(T, 1))?.wrappedKey ?? []).toString("base64");
    const errors = [
      await caught(() => envelope.decryptField({ tenantId: T, field: "g", ciphertext: c })),
      await caught(() => envelope.decryptField({ tenantId: T, field: "f", ciphertext: `${c}A` })),
      await caught(() => envelope.decryptField({ tenantId: T, field: "f", ciphertext: c.replace("ocs1.1.", "ocs1.5.") })),
    ];
    for (const e of errors) {
      const text = `${e.message} ${e.stack ?? ""} ${JSON.stringify(e)}`;
      expect(text).not.toContain(secret);
      expect(text).not.toContain(payload.slice(0, 12));
      expect(text).not.toContain(wrapped.slice(0, 12));
    }
  });

  it("rejects empty tenant ids and field names", async () => {
    const { envelope } = setup();
    await expect(envelope.encryptField({ tenantId: "", field: "f", plaintext: "x" })).rejects.toThrow(TypeError);
    await expect(envelope.encryptField({ tenantId: T, field: "", plaintext: "x" })).rejects.toThrow(TypeError);
  });
});
