/**
 * sealLegacyOriginals on real PostgreSQL and the real fs storage driver: originals stored before
 * encryption are sealed in place of the old object, one workspace at a time or all, idempotently;
 * a document deleted meanwhile keeps nothing behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isSealedBlob } from "@ocsuite/crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, type TenantFixture } from "../../../../prisma/factories";
import { seedDocument, utf8 } from "../../../../tests/fixtures/knowledge/seed";
import { db } from "~/server/db/client";
import { createFsStorage, isObjectNotFound, type ObjectStorage } from "~/server/infra/storage";
import { readOriginal } from "./document-reads";
import { sealLegacyOriginals } from "./original-backfill";

const root = mkdtempSync(path.join(os.tmpdir(), "ocsuite-original-backfill-"));
const storage = createFsStorage(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const exists = (key: string) => storage.get(key).then(() => true, (e: unknown) => (isObjectNotFound(e) ? false : Promise.reject(e)));
const download = (f: TenantFixture, id: string) => readOriginal(tenantCtxOf(f.tenant, f.viewer, "VIEWER"), { id }, { storage });

describe("sealing originals stored before encryption", () => {
  it("seals one workspace's legacy originals under a new key, deletes the old objects, and is a no-op the second time", async () => {
    const a = await createTenantWithMembers();
    const b = await createTenantWithMembers();
    const texts = ["# One\n\nFirst legacy file.\n", "# Two\n\nSecond legacy file.\n"];
    const legacy = await Promise.all(texts.map((t, i) => seedDocument(db, storage, a.tenant.id, { title: `L${i}`, filename: `l${i}.md`, bytes: utf8(t) })));
    const already = await seedDocument(db, storage, a.tenant.id, { title: "Sealed", filename: "s.md", bytes: utf8("# Sealed\n\nAlready.\n"), sealed: true });
    const vanished = await seedDocument(db, storage, a.tenant.id, { title: "Gone", filename: "g.md", bytes: utf8("# Gone\n") });
    await storage.delete(vanished.storageKey);
    const other = await seedDocument(db, storage, b.tenant.id, { title: "Other", filename: "o.md", bytes: utf8("# Other workspace\n") });

    expect(await sealLegacyOriginals({ tenantId: a.tenant.id, batchSize: 2, storageFor: () => storage })).toEqual({ sealed: 2, missing: 1, skipped: 0, orphanedObjects: 0 });
    for (const [i, doc] of legacy.entries()) {
      const row = await db.document.findUniqueOrThrow({ where: { id: doc.id } });
      expect(row.storageKey).toBe(`${doc.storageKey}.sealed`);
      expect(row.contentKeyCiphertext).toMatch(/^ocs1\./);
      expect(isSealedBlob(await storage.get(row.storageKey))).toBe(true);
      expect(await exists(doc.storageKey)).toBe(false);
      expect(new TextDecoder().decode((await download(a, doc.id)).bytes)).toBe(texts[i]);
    }
    // The already sealed document and the other workspace are untouched.
    expect((await db.document.findUniqueOrThrow({ where: { id: already.id } })).storageKey).toBe(already.storageKey);
    expect(await db.document.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ storageKey: other.storageKey, contentKeyCiphertext: null });
    // Audited on the platform chain, counts only.
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "documents.originals_sealed", targetId: a.tenant.id }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ chain: "platform", actorType: "SYSTEM", metadata: { sealed: 2, missing: 1, skipped: 0, orphanedObjects: 0 } });
    // A rerun has nothing left to seal (the vanished original stays missing).
    expect(await sealLegacyOriginals({ tenantId: a.tenant.id, storageFor: () => storage })).toEqual({ sealed: 0, missing: 1, skipped: 0, orphanedObjects: 0 });
  });

  it("a document deleted while it is being sealed keeps nothing behind", async () => {
    const f = await createTenantWithMembers();
    const doc = await seedDocument(db, storage, f.tenant.id, { title: "Racing", filename: "r.md", bytes: utf8("# Racing\n\nDeleted mid-way.\n") });
    // Right after the sealed object is written, the user deletes the document (row and original).
    const racing: ObjectStorage = {
      put: async (key, bytes, o) => {
        await storage.put(key, bytes, o);
        await db.document.delete({ where: { id: doc.id } });
        await storage.delete(doc.storageKey);
      },
      get: (key) => storage.get(key),
      delete: (key) => storage.delete(key),
    };
    expect(await sealLegacyOriginals({ tenantId: f.tenant.id, storageFor: () => racing })).toEqual({ sealed: 0, missing: 0, skipped: 1, orphanedObjects: 0 });
    expect(await exists(`${doc.storageKey}.sealed`)).toBe(false);
    expect(await exists(doc.storageKey)).toBe(false);
  });
});
