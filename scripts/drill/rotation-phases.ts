/**
 * The rotation drill's phases, run in the drill's process against the stack's
 * database (imported only after rotation-drill.ts has set the environment).
 * Operations are started through the same services the product uses ("Rotate
 * now", "Roll back", the admin's master-key rewrap); the work runs in the worker.
 */
import { createEnvelope, EnvKeyRing, WorkspaceKeyRing } from "@ocsuite/crypto";
import { db } from "../../src/server/db/client";
import { createCredential } from "../../src/server/services/providers/credentials";
import { requestDataKeyRotation, requestRollback } from "../../src/server/services/key-rotation/data-key-rotation";
import { countStaleDataKeys, requestMasterKeyRotation } from "../../src/server/services/key-rotation/master-key-rotation";
import { PrismaDataKeyStore } from "../../src/server/db/keys/data-key-store";
import { workspaceKeyVault } from "../../src/server/db/keys/tenant-crypto";
import type { TenantCtx } from "../../src/server/services/context";

export type SeededTenant = { tenantId: string; ctx: TenantCtx; secrets: { id: string; key: string }[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const drillKey = (tenant: number, i: number | string) => `sk-drill-${tenant}-${i}-${"x".repeat(24)}`;

export const seed = async (tenants: number, secrets: number): Promise<SeededTenant[]> => {
  const out: SeededTenant[] = [];
  for (let t = 0; t < tenants; t++) {
    const suffix = `${Date.now().toString(36)}${t}`;
    const user = await db.user.create({ data: { email: `owner-${suffix}@drill.test`, emailVerified: new Date() } });
    const tenant = await db.tenant.create({ data: { slug: `drill-${suffix}`, name: `Drill ${t}`, memberships: { create: { userId: user.id, role: "OWNER" } } } });
    const ctx: TenantCtx = { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER", userId: user.id, isPlatformAdmin: false, meta: { ip: "127.0.0.1", userAgent: "rotation-drill" } };
    const made = [];
    for (let i = 0; i < secrets; i++) {
      const key = drillKey(t, i);
      made.push({ id: (await createCredential(ctx, { provider: "openai", label: `seed ${i}`, apiKey: key })).id, key });
    }
    out.push({ tenantId: tenant.id, ctx, secrets: made });
  }
  return out;
};

const waitFor = async (ids: string[], statuses: string[], timeoutMs: number, onProgress?: (rows: { status: string; batches: number }[]) => Promise<void>) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.keyRotation.findMany({ where: { id: { in: ids } } });
    if (rows.every((r) => statuses.includes(r.status))) return rows;
    if (Date.now() > deadline) throw new Error(`operations not ${statuses.join("/")} after ${timeoutMs / 1000} s: ${rows.map((r) => `${r.id}=${r.status}${r.error ? `(${r.error})` : ""}`).join(", ")}`);
    await onProgress?.(rows);
    await sleep(200);
  }
};

export type RotationPhase = { rows: number; batches: number; seconds: number; rowsPerSecond: number; failed: number; retired: number; crashAfterBatches: number; rowsDoneVsRows: string };

/** Rotates every tenant at once; `crash` is called once when batches are committing (the worker is killed mid-run). */
export const rotateAll = async (tenants: SeededTenant[], crash: () => Promise<void>): Promise<RotationPhase> => {
  const started = Date.now();
  const ops = [];
  for (const t of tenants) ops.push(await requestDataKeyRotation(t.tenantId, { userId: t.ctx.userId }, "drill"));
  const ids = ops.map((o) => o.id);
  let crashed = -1;
  const verified = await waitFor(ids, ["waiting-retire", "completed", "failed"], 300_000, async (rows) => {
    const batches = rows.reduce((n, r) => n + r.batches, 0);
    if (crashed < 0 && batches >= 3 && rows.some((r) => r.status === "reencrypting")) {
      crashed = batches;
      await crash();
    }
  });
  const seconds = (Date.now() - started) / 1000;
  const done = await waitFor(ids, ["completed", "failed"], 120_000);
  const rows = verified.reduce((n, r) => n + r.rowsDone, 0);
  const total = await db.providerCredential.count({ where: { tenantId: { in: tenants.map((t) => t.tenantId) } } });
  return {
    rows,
    batches: verified.reduce((n, r) => n + r.batches, 0),
    seconds,
    rowsPerSecond: rows / seconds,
    failed: done.filter((r) => r.status === "failed").length,
    retired: done.filter((r) => r.status === "completed").length,
    crashAfterBatches: crashed,
    rowsDoneVsRows: `${rows} processed by batches, ${total} rows at the end (each row at most once; rows written after the key changed needed none)`,
  };
};

export type RollbackPhase = { rows: number; seconds: number; activeAfter: number; restoredFrom: string };

export const rollbackOne = async (tenant: SeededTenant): Promise<RollbackPhase> => {
  const started = Date.now();
  const before = await db.tenantDataKey.findUniqueOrThrow({ where: { tenantId_version: { tenantId: tenant.tenantId, version: 1 } } });
  const op = await requestRollback(tenant.tenantId, { userId: tenant.ctx.userId });
  const [row] = await waitFor([op.id], ["waiting-retire", "completed", "failed"], 120_000);
  if (row!.status === "failed") throw new Error(`rollback failed: ${row!.error}`);
  const active = await db.tenantDataKey.findFirstOrThrow({ where: { tenantId: tenant.tenantId, status: "active" } });
  return { rows: row!.rowsDone, seconds: (Date.now() - started) / 1000, activeAfter: active.version, restoredFrom: before.status };
};

export type MasterPhase = { rewrapped: number; seconds: number; remaining: number };

/** `spec` is the promoted key ring (v2 current), as the restarted worker has it. */
export const rotateMaster = async (spec: string): Promise<MasterPhase> => {
  const started = Date.now();
  const keyRing = new EnvKeyRing(spec);
  const op = await requestMasterKeyRotation({ userId: null }, { keyRing, store: new PrismaDataKeyStore() });
  const [row] = await waitFor([op.id], ["completed", "failed"], 180_000);
  if (row!.status === "failed") throw new Error(`master rotation failed: ${row!.error}`);
  return { rewrapped: row!.rowsDone, seconds: (Date.now() - started) / 1000, remaining: await countStaleDataKeys(keyRing) };
};

export type FinalCheck = { checked: number; lostWrites: number; unreadable: number; notUnderActive: number };

/**
 * Every secret seeded or written during the drill must still exist and decrypt
 * to what was written, with a key ring holding only the new master key (so v1
 * can be removed), and sit under its tenant's active data-key version.
 */
export const verifyAll = async (tenants: SeededTenant[], written: { tenantId: string; id: string; key: string }[], newRingOnly: string): Promise<FinalCheck> => {
  // The new master key alone, inside the workspaces' key vault as the app wraps them (ADR 0016).
  const master = new EnvKeyRing(newRingOnly);
  const vault = workspaceKeyVault();
  const envelope = createEnvelope({ keyRing: vault ? new WorkspaceKeyRing(master, vault) : master, store: new PrismaDataKeyStore() });
  const all = [...tenants.flatMap((t) => t.secrets.map((s) => ({ tenantId: t.tenantId, ...s }))), ...written];
  const result: FinalCheck = { checked: 0, lostWrites: 0, unreadable: 0, notUnderActive: 0 };
  const active = new Map((await db.tenantDataKey.findMany({ where: { status: "active" } })).map((k) => [k.tenantId, k.version]));
  for (const s of all) {
    const row = await db.providerCredential.findFirst({ where: { id: s.id, tenantId: s.tenantId } });
    result.checked += 1;
    if (!row) {
      result.lostWrites += 1;
      continue;
    }
    const plain = await envelope.decryptField({ tenantId: s.tenantId, field: `provider-credential:${s.id}`, ciphertext: row.secretCiphertext }).catch(() => null);
    if (plain !== s.key) result.unreadable += 1;
    if (Number(row.secretCiphertext.split(".")[1]) !== active.get(s.tenantId)) result.notUnderActive += 1;
  }
  return result;
};


