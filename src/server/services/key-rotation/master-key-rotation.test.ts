/**
 * Master-key rotation (re-wrap every data key, no secret touched) with an env
 * key ring and with a KMS key ring (LocalKmsAdapter), on the real
 * TenantDataKey table. Each ring has its own kekId, so only the data keys this
 * test made are in scope (rotation never crosses key rings).
 */
import { createEnvelope, EnvKeyRing, FileKeyVault, KmsKeyRing, LocalKmsAdapter, WorkspaceKeyRing, type KeyRing } from "@ocsuite/crypto";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTenant } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { PrismaDataKeyStore } from "~/server/db/keys/data-key-store";
import { countStaleDataKeys, rewrapBatch, verifyMasterRotation } from "./master-key-rotation";

const store = new PrismaDataKeyStore();
const b64 = () => randomBytes(32).toString("base64");

/** Three tenants with two data-key versions each and one secret per version, under `ring`. */
const seed = async (ring: KeyRing) => {
  const envelope = createEnvelope({ keyRing: ring, store, autoCreateTenantKeys: true });
  const tenants = [];
  for (let i = 0; i < 3; i++) {
    const t = await createTenant();
    const v1 = await envelope.encryptField({ tenantId: t.id, field: "f", plaintext: `v1 secret ${i}` });
    await envelope.rotateTenantKey(t.id);
    const v2 = await envelope.encryptField({ tenantId: t.id, field: "f", plaintext: `v2 secret ${i}` });
    tenants.push({ id: t.id, secrets: [[v1, `v1 secret ${i}`], [v2, `v2 secret ${i}`]] as const });
  }
  return tenants;
};

const runRewrap = async (ring: KeyRing) => {
  const row = await db.keyRotation.create({ data: { kind: "master-key", status: "pending", trigger: "manual", kekVersion: await ring.currentVersion() } });
  let batches = 0;
  for (;;) {
    const r = await rewrapBatch(row.id, { keyRing: ring, store });
    if (r.done) break;
    batches += 1;
  }
  return { id: row.id, batches, verify: await verifyMasterRotation(row.id, { keyRing: ring, store }) };
};

const expectReadable = async (ring: KeyRing, tenants: Awaited<ReturnType<typeof seed>>) => {
  const envelope = createEnvelope({ keyRing: ring, store });
  for (const t of tenants) for (const [c, plain] of t.secrets) expect(await envelope.decryptField({ tenantId: t.id, field: "f", ciphertext: c })).toBe(plain);
};

describe("master-key rotation", () => {
  it("env key ring: every data key re-wrapped under v2, ciphertexts untouched and readable with v1 removed", async () => {
    const kekId = `env-test-${randomBytes(4).toString("hex")}`;
    const [k1, k2] = [b64(), b64()];
    const old = new EnvKeyRing(`1:${k1}`, { kekId });
    const tenants = await seed(old);
    const both = new EnvKeyRing(`1:${k1},2:${k2}`, { kekId });
    expect(await countStaleDataKeys(both)).toBe(6);

    const { id, verify } = await runRewrap(both);
    expect(verify).toEqual({ remaining: 0, completed: true });
    expect(await countStaleDataKeys(both)).toBe(0);
    const rows = await db.tenantDataKey.findMany({ where: { kekId } });
    expect(rows.map((r) => r.kekVersion)).toEqual(Array(6).fill(2));
    expect(await db.keyRotation.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "completed", rowsDone: 6 });
    // v1 can now leave the ring: every secret still decrypts with v2 alone.
    await expectReadable(new EnvKeyRing(`2:${k2}`, { kekId }), tenants);
    // Audited on each tenant's chain.
    expect(await db.auditEvent.count({ where: { chain: { in: tenants.map((t) => t.id) }, action: "key_rotation.rewrapped", targetId: id } })).toBe(3);
  });

  it("is idempotent: a second run (or a retried batch) finds nothing to do", async () => {
    const kekId = `env-test-${randomBytes(4).toString("hex")}`;
    const [k1, k2] = [b64(), b64()];
    await seed(new EnvKeyRing(`1:${k1}`, { kekId }));
    const both = new EnvKeyRing(`1:${k1},2:${k2}`, { kekId });
    await runRewrap(both);
    const again = await runRewrap(both);
    expect(again.batches).toBe(0);
    expect(await db.keyRotation.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({ status: "completed", rowsDone: 0 });
  });

  it("a data key wrapped under the old version during the run is caught by verification and re-wrapped on the next pass", async () => {
    const kekId = `env-test-${randomBytes(4).toString("hex")}`;
    const [k1, k2] = [b64(), b64()];
    const old = new EnvKeyRing(`1:${k1}`, { kekId });
    await seed(old);
    const both = new EnvKeyRing(`1:${k1},2:${k2}`, { kekId });
    const row = await db.keyRotation.create({ data: { kind: "master-key", status: "pending", trigger: "manual", kekVersion: 2 } });
    while (!(await rewrapBatch(row.id, { keyRing: both, store })).done);
    // A process that has not got the new config yet creates a tenant key under v1.
    const late = await createTenant();
    await createEnvelope({ keyRing: old, store, autoCreateTenantKeys: true }).encryptField({ tenantId: late.id, field: "f", plaintext: "late" });
    expect(await verifyMasterRotation(row.id, { keyRing: both, store })).toEqual({ remaining: 1, completed: false });
    while (!(await rewrapBatch(row.id, { keyRing: both, store })).done);
    expect(await verifyMasterRotation(row.id, { keyRing: both, store })).toEqual({ remaining: 0, completed: true });
  });

  it("KMS key ring (LocalKmsAdapter): after the KMS rotates its key, data keys are re-wrapped under the new KMS version", async () => {
    const kms = new LocalKmsAdapter(`kms-test-${randomBytes(4).toString("hex")}`);
    const ring = new KmsKeyRing(kms);
    const tenants = await seed(ring);
    kms.rotate();
    expect(await ring.currentVersion()).toBe(2);
    expect(await countStaleDataKeys(ring)).toBe(6);
    const { verify } = await runRewrap(ring);
    expect(verify.completed).toBe(true);
    expect((await db.tenantDataKey.findMany({ where: { kekId: kms.keyId } })).every((r) => r.kekVersion === 2)).toBe(true);
    await expectReadable(ring, tenants);
  });

  it("workspace key vault (ADR 0016): data keys wrapped by the master keys alone are moved under each workspace's vault key", async () => {
    const kekId = `env-test-${randomBytes(4).toString("hex")}`;
    const master = new EnvKeyRing(`1:${b64()}`, { kekId });
    const tenants = await seed(master);
    const vault = new FileKeyVault(mkdtempSync(path.join(tmpdir(), "ocs-master-rotation-vault-")));
    const layered = new WorkspaceKeyRing(master, vault);
    // Same master version, another kekId: still stale, because nothing of them is in the vault yet.
    expect(await countStaleDataKeys(layered)).toBe(6);
    await expectReadable(layered, tenants);
    const { verify } = await runRewrap(layered);
    expect(verify.completed).toBe(true);
    expect(await countStaleDataKeys(layered)).toBe(0);
    expect(await db.tenantDataKey.count({ where: { tenantId: { in: tenants.map((t) => t.id) }, kekId: `${kekId}/ws-file` } })).toBe(6);
    await expectReadable(layered, tenants);
    // Now the master keys alone open none of them, and a destroyed vault key closes its workspace for good.
    await expect(expectReadable(master, tenants)).rejects.toMatchObject({ code: "UNKNOWN_KEY_VERSION" });
    await vault.destroy(tenants[0]!.id);
    await expect(expectReadable(layered, tenants.slice(0, 1))).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    await expectReadable(layered, tenants.slice(1));
  });
});
