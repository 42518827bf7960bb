/**
 * Tenant data-key rotation and rollback through the real Inngest functions,
 * served over HTTP and driven by the local executor, against PostgreSQL.
 * KEY_CACHE_TTL_SECONDS is 1 in tests (tests/support/global-setup.ts).
 */
import { isCryptoError } from "@ocsuite/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../prisma/factories";
import { startAppEngine, type AppEngine } from "../../../../tests/support/app-engine";
import { db } from "~/server/db/client";
import { openOriginal, sealOriginal } from "../knowledge/original-cipher";
import { newArchiveSealer, openArchiveStream } from "../privacy/export/archive-cipher";
import { createCredential, getDecryptedCredential } from "../providers/credentials";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { requestDataKeyRotation, requestRollback } from "./data-key-rotation";
import { destroyKeyVersion } from "./key-destroy";
import { retireReplacedVersion } from "./rotation-verify";
import { startFleetRotation, startScheduledRotations } from "./scheduled-rotation";

let engine: AppEngine | undefined;
beforeAll(async () => {
  engine = await startAppEngine();
});
afterAll(async () => {
  await engine?.close();
});

const ownerCtx = (t: TenantFixture) => tenantCtxOf(t.tenant, t.owner, "OWNER");
const keyOf = (i: number) => `sk-rotation-${i.toString().padStart(4, "0")}-abcdefgh`;

const seedCredentials = async (t: TenantFixture, n: number) => {
  const ids: { id: string; key: string }[] = [];
  for (let i = 0; i < n; i++) {
    const c = await createCredential(ownerCtx(t), { provider: "openai", label: `key ${i}`, apiKey: keyOf(i) });
    ids.push({ id: c.id, key: keyOf(i) });
  }
  return ids;
};

/** A document whose original was sealed at upload (original-cipher.ts); the sealed bytes stand for the stored object. */
const seedSealedDocument = async (t: TenantFixture, text: string) => {
  const id = `doc-${uid()}`;
  const { sealed, columns } = await sealOriginal(t.tenant.id, id, new TextEncoder().encode(text));
  await db.document.create({
    data: { id, tenantId: t.tenant.id, title: "Plan", filename: "plan.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: text.length, sha256: uid(), storageKey: `tenants/${t.tenant.id}/documents/${id}/original`, ...columns },
  });
  return { id, sealed, text, contentKeyCiphertext: columns.contentKeyCiphertext };
};
/** A data export whose archive was sealed as built (privacy/export/archive-cipher.ts); the sealed bytes stand for the stored object. */
const seedSealedExport = async (t: TenantFixture, text: string) => {
  const row = await db.dataExport.create({ data: { tenantId: t.tenant.id, requestedById: t.owner.id, scope: "workspace", status: "ready" } });
  const { sealer, keyColumns } = await newArchiveSealer(t.tenant.id, row.id);
  const sealed = Buffer.concat([sealer.header, ...sealer.update(new TextEncoder().encode(text)), sealer.final()]);
  await db.dataExport.update({ where: { id: row.id }, data: await keyColumns() });
  return { id: row.id, sealed, text };
};
const openedArchive = async (x: { id: string; sealed: Uint8Array }) => {
  const row = await db.dataExport.findUniqueOrThrow({ where: { id: x.id }, select: { tenantId: true, id: true, archiveKeyCiphertext: true, archiveKeyVersion: true } });
  expect(row.archiveKeyVersion).toBe(Number(row.archiveKeyCiphertext!.split(".")[1]));
  const stored = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(x.sealed), c.close()) });
  const stream = await openArchiveStream(row, stored);
  return { version: row.archiveKeyVersion, text: await new Response(stream).text() };
};
const openedText = async (tenantId: string, doc: { id: string; sealed: Uint8Array }) => {
  const row = await db.document.findUniqueOrThrow({ where: { id: doc.id }, select: { tenantId: true, id: true, contentKeyCiphertext: true, contentKeyVersion: true } });
  // The version column moves with the ciphertext's header (the rotation's compare-and-set writes both).
  expect(row.contentKeyVersion).toBe(Number(row.contentKeyCiphertext!.split(".")[1]));
  return { version: row.contentKeyVersion, text: new TextDecoder().decode(await openOriginal({ ...row, tenantId }, doc.sealed)) };
};

const waitForStatus = async (rotationId: string, statuses: string[], timeoutMs = 45_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db.keyRotation.findUniqueOrThrow({ where: { id: rotationId } });
    if (statuses.includes(row.status)) return row;
    if (Date.now() > deadline) throw new Error(`rotation ${rotationId} still ${row.status} (${row.error ?? "no error"})`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const versionsOf = async (tenantId: string) =>
  (await db.providerCredential.findMany({ where: { tenantId }, select: { secretCiphertext: true, keyVersion: true } })).map((c) => [Number(c.secretCiphertext.split(".")[1]), c.keyVersion]);

const statusesOf = async (tenantId: string) => (await tenantCrypto().listTenantKeys(tenantId)).map((k) => [k.version, k.status]);

describe("data-key rotation (Inngest function on the local executor)", () => {
  it("re-encrypts every secret under v2 in checkpointed batches while reads and writes go on, then retires v1 after the window", async () => {
    const t = await createTenantWithMembers();
    const seeded = await seedCredentials(t, 12);
    const before = await db.providerCredential.findMany({ where: { tenantId: t.tenant.id }, select: { id: true, secretCiphertext: true } });
    const doc = await seedSealedDocument(t, "Board pack: the sealed original.");
    const archive = await seedSealedExport(t, "An export archive, sealed.");

    const rotation = await requestDataKeyRotation(t.tenant.id, { userId: t.owner.id }, "manual");
    // Reads and writes during the rotation: none may fail, none may be lost.
    let stop = false;
    let failedReads = 0;
    const written: { id: string; key: string }[] = [];
    const traffic = (async () => {
      for (let i = 100; !stop; i++) {
        for (const c of seeded) {
          const got = await getDecryptedCredential({ tenantId: t.tenant.id }, c.id).catch(() => null);
          if (got?.apiKey !== c.key) failedReads += 1;
        }
        const made = await createCredential(ownerCtx(t), { provider: "openai", label: `during ${i}`, apiKey: keyOf(i) });
        written.push({ id: made.id, key: keyOf(i) });
      }
    })();
    const done = await waitForStatus(rotation.id, ["waiting-retire", "failed"]);
    stop = true;
    await traffic;

    expect(done).toMatchObject({ status: "waiting-retire", fromVersion: 1, toVersion: 2, error: null });
    expect(done.batches).toBeGreaterThan(0);
    expect(failedReads).toBe(0);
    expect(written.length).toBeGreaterThan(0);
    expect(await statusesOf(t.tenant.id)).toEqual([
      [1, "decrypt-only"],
      [2, "active"],
    ]);
    // Every row (seeded and written during the run) is under v2, the keyVersion column agrees, all decrypt.
    for (const [inText, column] of await versionsOf(t.tenant.id)) expect([inText, column]).toEqual([2, 2]);
    for (const c of [...seeded, ...written]) expect((await getDecryptedCredential({ tenantId: t.tenant.id }, c.id)).apiKey).toBe(c.key);
    // A document's content key is re-encrypted too; the stored object itself is untouched and still opens.
    expect(await openedText(t.tenant.id, doc)).toEqual({ version: 2, text: doc.text });
    // So is an export archive's key; the sealed archive is untouched and still opens.
    expect(await openedArchive(archive)).toEqual({ version: 2, text: archive.text });
    // No plaintext or ciphertext in what the engine stored for the run (events and step outputs).
    const runs = await db.inngestRun.findMany({ where: { tenantId: t.tenant.id, functionId: { endsWith: "security-rotate-data-key" } } });
    expect(runs).toHaveLength(1);
    const steps = JSON.stringify([runs, await db.inngestStep.findMany({ where: { runId: { in: runs.map((r) => r.id) } } })]);
    expect(steps).toContain("reencrypt-batch-1");
    for (const c of seeded) expect(steps).not.toContain(c.key);
    expect(steps).not.toContain(before[0]!.secretCiphertext);

    // Audit: each step on the tenant chain and the platform chain.
    const actions = async (where: object) => (await db.auditEvent.findMany({ where: { ...where, targetId: rotation.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    const tenantActions = await actions({ chain: t.tenant.id });
    expect(tenantActions).toEqual(expect.arrayContaining(["key_rotation.requested", "key_rotation.started", "key_rotation.batch", "key_rotation.verified"]));
    expect(await actions({ chain: "platform" })).toEqual(tenantActions);

    // The window: too early does nothing; after it, v1 is retired and an old ciphertext no longer decrypts.
    expect(await retireReplacedVersion(rotation.id)).toEqual({ retired: false, reason: "tooEarly" });
    const later = new Date(done.retireAfter!.getTime() + 1000);
    expect(await retireReplacedVersion(rotation.id, later)).toEqual({ retired: true, reason: "retired" });
    expect((await db.keyRotation.findUniqueOrThrow({ where: { id: rotation.id } })).status).toBe("completed");
    expect(await statusesOf(t.tenant.id)).toEqual([
      [1, "retired"],
      [2, "active"],
    ]);
    const err = await tenantCrypto()
      .decryptField({ tenantId: t.tenant.id, field: `provider-credential:${before[0]!.id}`, ciphertext: before[0]!.secretCiphertext })
      .catch((e: unknown) => e);
    expect(isCryptoError(err, "KEY_RETIRED")).toBe(true);
    expect(await openedText(t.tenant.id, doc)).toEqual({ version: 2, text: doc.text });
    await expect(openOriginal({ tenantId: t.tenant.id, id: doc.id, contentKeyCiphertext: doc.contentKeyCiphertext }, doc.sealed)).rejects.toMatchObject({ reason: "originalUnreadable", cause: { code: "KEY_RETIRED" } });
  });

  it("refuses a second operation for the same tenant while one is in flight (409 rotationInProgress)", async () => {
    const t = await createTenantWithMembers();
    await seedCredentials(t, 2);
    const first = await requestDataKeyRotation(t.tenant.id, { userId: t.owner.id }, "manual");
    const err = await requestDataKeyRotation(t.tenant.id, { userId: t.owner.id }, "manual").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CONFLICT", reason: "rotationInProgress" });
    await waitForStatus(first.id, ["waiting-retire"]);
  });

  it("rolls back: v1 active again, every secret re-encrypted back to v1, the rotation marked rolled-back; impossible once v1 is destroyed", async () => {
    const t = await createTenantWithMembers();
    const seeded = await seedCredentials(t, 5);
    const rotation = await requestDataKeyRotation(t.tenant.id, { userId: t.owner.id }, "manual");
    await waitForStatus(rotation.id, ["waiting-retire"]);

    const rollback = await requestRollback(t.tenant.id, { userId: t.owner.id });
    expect(rollback).toMatchObject({ kind: "rollback", fromVersion: 2, toVersion: 1 });
    await waitForStatus(rollback.id, ["waiting-retire"]);
    expect(await statusesOf(t.tenant.id)).toEqual([
      [1, "active"],
      [2, "decrypt-only"],
    ]);
    for (const [inText] of await versionsOf(t.tenant.id)) expect(inText).toBe(1);
    for (const c of seeded) expect((await getDecryptedCredential({ tenantId: t.tenant.id }, c.id)).apiKey).toBe(c.key);
    expect((await db.keyRotation.findUniqueOrThrow({ where: { id: rotation.id } })).status).toBe("rolled-back");
    // The rotation's own retire step, waking later, leaves v1 alone.
    expect(await retireReplacedVersion(rotation.id, new Date(Date.now() + 400 * 86_400_000))).toEqual({ retired: false, reason: "notWaiting" });

    // Nothing left to roll back: the last finished operation is the rollback itself.
    expect(await requestRollback(t.tenant.id, { userId: t.owner.id }).catch((e: unknown) => e)).toMatchObject({ reason: "rollbackUnavailable" });
  });

  it("a rollback is refused once the replaced version was destroyed; destruction needs the retired state, the window and the typed confirmation", async () => {
    const t = await createTenantWithMembers();
    await seedCredentials(t, 3);
    const rotation = await requestDataKeyRotation(t.tenant.id, { userId: t.owner.id }, "manual");
    const done = await waitForStatus(rotation.id, ["waiting-retire"]);
    const ctx = ownerCtx(t);
    expect(await destroyKeyVersion(ctx, { version: 1, confirmation: "destroy v1" }).catch((e: unknown) => e)).toMatchObject({ reason: "keyNotRetired" });
    const retiredAt = new Date(done.retireAfter!.getTime() + 1000);
    await retireReplacedVersion(rotation.id, retiredAt);
    const afterWindow = new Date(Date.now() + 31 * 86_400_000);
    expect(await destroyKeyVersion(ctx, { version: 1, confirmation: "destroy v1" }).catch((e: unknown) => e)).toMatchObject({ reason: "keyDestroyTooEarly" });
    expect(await destroyKeyVersion(ctx, { version: 1, confirmation: "destroy 1" }, afterWindow).catch((e: unknown) => e)).toMatchObject({ reason: "confirmationMismatch" });
    expect(await destroyKeyVersion(ctx, { version: 1, confirmation: "destroy v1" }, afterWindow)).toEqual({ version: 1 });
    const row = await db.tenantDataKey.findUniqueOrThrow({ where: { tenantId_version: { tenantId: t.tenant.id, version: 1 } } });
    expect(row.status).toBe("destroyed");
    expect(row.wrappedKey.byteLength).toBe(0);
    expect(await db.auditEvent.count({ where: { chain: t.tenant.id, action: "key_rotation.destroyed", actorId: t.owner.id } })).toBe(1);
    expect(await requestRollback(t.tenant.id, { userId: t.owner.id }).catch((e: unknown) => e)).toMatchObject({ reason: "rollbackUnavailable" });
  });

  it("the daily schedule starts a rotation for a tenant whose key is past the policy age, and it runs to verification", async () => {
    const t = await createTenantWithMembers();
    await seedCredentials(t, 2);
    await db.tenantDataKey.updateMany({ where: { tenantId: t.tenant.id }, data: { createdAt: new Date(Date.now() - 120 * 86_400_000) } });
    const run = await startScheduledRotations();
    expect(run.started).toBeGreaterThanOrEqual(1);
    const rotation = await db.keyRotation.findFirstOrThrow({ where: { tenantId: t.tenant.id, trigger: "schedule" } });
    expect(await waitForStatus(rotation.id, ["waiting-retire"])).toMatchObject({ fromVersion: 1, toVersion: 2, requestedById: null });
    // Once rotated, the tenant is no longer due.
    expect((await startScheduledRotations()).started).toBe(0);
  });

  it("fleet rotation (incident response): every tenant in scope gets an operation once, whatever its key's age, and the loop ends", async () => {
    const tenants = [await createTenantWithMembers(), await createTenantWithMembers()];
    for (const t of tenants) await seedCredentials(t, 1);
    // Scoped to this test's workspaces: the shared test database holds every other file's tenants too.
    const run = await startFleetRotation({ userId: tenants[0]!.owner.id }, { tenantIds: tenants.map((t) => t.tenant.id) });
    expect(run).toEqual({ due: 2, started: 2, skipped: 0 });
    for (const t of tenants) {
      const ops = await db.keyRotation.findMany({ where: { tenantId: t.tenant.id, kind: "data-key" } });
      expect(ops).toHaveLength(1);
      await waitForStatus(ops[0]!.id, ["waiting-retire"]);
    }
  });
});
