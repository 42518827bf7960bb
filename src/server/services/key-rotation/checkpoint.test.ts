/**
 * The re-encryption checkpoint: what makes a killed worker resume "without
 * double work or a lost secret". Steps are called directly here; the kill -9 of
 * a real worker mid-batch is in the rotation drill (scripts/drill/rotation-drill.ts).
 */
import { createEnvelope } from "@ocsuite/crypto";
import { describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, type TenantFixture } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { createCredential, getDecryptedCredential } from "../providers/credentials";
import { PrismaDataKeyStore } from "~/server/db/keys/data-key-store";
import { masterKeyRing, tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { beginRotation, reencryptBatch } from "./data-key-rotation";
import { verifyRotation } from "./rotation-verify";
import { tenantsDueForRotation } from "./scheduled-rotation";

const seed = async (t: TenantFixture, n: number) => {
  const ctx = tenantCtxOf(t.tenant, t.owner, "OWNER");
  const out = [];
  for (let i = 0; i < n; i++) out.push({ id: (await createCredential(ctx, { provider: "openai", label: `k${i}`, apiKey: `sk-checkpoint-${i}-0123456789` })).id, key: `sk-checkpoint-${i}-0123456789` });
  return out;
};

/** A rotation row as requestDataKeyRotation makes it, without sending the event (the steps are driven by hand). */
const pendingRotation = async (tenantId: string) => {
  const active = await tenantCrypto().ensureTenantKey(tenantId);
  return db.keyRotation.create({ data: { kind: "data-key", tenantId, status: "pending", fromVersion: active.version, trigger: "manual" } });
};

describe("re-encryption checkpoint", () => {
  it("moves batch by batch; a step retried after its commit continues from the checkpoint (no row done twice)", async () => {
    const t = await createTenantWithMembers();
    const secrets = await seed(t, 7);
    const row = await pendingRotation(t.tenant.id);
    expect(await beginRotation(row.id)).toMatchObject({ status: "reencrypting", toVersion: 2 });
    // begin is idempotent: a retry does not mint v3.
    expect(await beginRotation(row.id)).toMatchObject({ toVersion: 2 });
    expect((await tenantCrypto().listTenantKeys(t.tenant.id)).map((k) => k.version)).toEqual([1, 2]);

    expect(await reencryptBatch(row.id, 3)).toEqual({ done: false, rows: 3 });
    // "The worker died after the commit": the retried step reads the checkpoint and takes the next 3.
    expect(await reencryptBatch(row.id, 3)).toEqual({ done: false, rows: 3 });
    expect(await reencryptBatch(row.id, 3)).toEqual({ done: false, rows: 1 });
    expect(await reencryptBatch(row.id, 3)).toEqual({ done: true, rows: 0 });
    const after = await db.keyRotation.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ rowsDone: 7, batches: 3 });
    expect(await verifyRotation(row.id)).toMatchObject({ verified: 7, rewritten: 0 });
    for (const s of secrets) expect((await getDecryptedCredential({ tenantId: t.tenant.id }, s.id)).apiKey).toBe(s.key);
  });

  it("two copies of the same batch at once (a duplicated step): one commits, the other rolls back; nothing is counted twice", async () => {
    const t = await createTenantWithMembers();
    await seed(t, 4);
    const row = await pendingRotation(t.tenant.id);
    await beginRotation(row.id);
    const results = await Promise.allSettled([reencryptBatch(row.id, 4), reencryptBatch(row.id, 4)]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ reason: "checkpointMoved" });
    expect(await db.keyRotation.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ rowsDone: 4, batches: 1 });
  });

  it("a writer whose cache still names v1 (another process, within the TTL) is caught by verification", async () => {
    const t = await createTenantWithMembers();
    const [s] = await seed(t, 1);
    // Another process: its own envelope, whose cache learnt "v1 is active" before the rotation.
    const other = createEnvelope({ keyRing: masterKeyRing(), store: new PrismaDataKeyStore(), cache: { ttlMs: 3_600_000 } });
    expect(await other.getActiveVersion(t.tenant.id)).toBe(1);
    const row = await pendingRotation(t.tenant.id);
    await beginRotation(row.id);
    while (!(await reencryptBatch(row.id, 10)).done);
    // It saves an edited key under v1 behind the batches.
    const field = `provider-credential:${s!.id}`;
    const stale = await other.encryptField({ tenantId: t.tenant.id, field, plaintext: "sk-edited-0123456789" });
    expect(stale.startsWith("ocs1.1.")).toBe(true);
    await db.providerCredential.update({ where: { id: s!.id }, data: { secretCiphertext: stale, keyVersion: 1 } });

    expect(await verifyRotation(row.id)).toMatchObject({ verified: 1, rewritten: 1 });
    const saved = await db.providerCredential.findUniqueOrThrow({ where: { id: s!.id } });
    expect(saved.secretCiphertext.startsWith("ocs1.2.")).toBe(true);
    expect(saved.keyVersion).toBe(2);
    // The user's edit is kept, not the value the batches had seen.
    expect((await getDecryptedCredential({ tenantId: t.tenant.id }, s!.id)).apiKey).toBe("sk-edited-0123456789");
  });
});

describe("scheduled rotation", () => {
  it("picks tenants whose active key is older than the policy (90 days) and skips those already rotating", async () => {
    const due = await createTenantWithMembers();
    const fresh = await createTenantWithMembers();
    const busy = await createTenantWithMembers();
    for (const t of [due, fresh, busy]) await seed(t, 1);
    const old = new Date(Date.now() - 91 * 86_400_000);
    await db.tenantDataKey.updateMany({ where: { tenantId: { in: [due.tenant.id, busy.tenant.id] } }, data: { createdAt: old } });
    await pendingRotation(busy.tenant.id);
    // Unscoped: the oldest keys first, so an old key is found among the shared database's other tenants.
    const ids = await tenantsDueForRotation();
    expect(ids).toContain(due.tenant.id);
    expect(ids).not.toContain(fresh.tenant.id);
    expect(ids).not.toContain(busy.tenant.id);
    // 89 days from now the fresh tenant is not due yet; 91 days from now it is.
    // Scoped to this test's tenants: 91 days from now every tenant of the shared database is due, more than one run takes.
    const scope = [due, fresh, busy].map((t) => t.tenant.id);
    const DAY = 86_400_000;
    expect(await tenantsDueForRotation(new Date(Date.now() + 89 * DAY), 500, undefined, scope)).toEqual([due.tenant.id]);
    expect((await tenantsDueForRotation(new Date(Date.now() + 91 * DAY), 500, undefined, scope)).sort()).toEqual([due.tenant.id, fresh.tenant.id].sort());
  });
});
