/**
 * Encrypted originals through the download path (readOriginal) on real PostgreSQL and the real fs
 * storage driver: an object modified or swapped in storage is refused, an original stored before
 * encryption is served as it is, and a workspace's destroyed data key leaves its originals unreadable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, type TenantFixture } from "../../../../prisma/factories";
import { seedDocument, utf8 } from "../../../../tests/fixtures/knowledge/seed";
import { db } from "~/server/db/client";
import { createFsStorage } from "~/server/infra/storage";
import { shredTenantKeys } from "../key-rotation/shred-tenant-keys";
import { readOriginal } from "./document-reads";

const root = mkdtempSync(path.join(os.tmpdir(), "ocsuite-original-cipher-"));
const storage = createFsStorage(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const viewer = (f: TenantFixture) => tenantCtxOf(f.tenant, f.viewer, "VIEWER");
const download = (f: TenantFixture, id: string) => readOriginal(viewer(f), { id }, { storage });

describe("encrypted document originals", () => {
  it("serves the plaintext of a sealed original and refuses one modified or swapped in storage (originalUnreadable)", async () => {
    const f = await createTenantWithMembers();
    const text = utf8("# Board pack\n\nRunway: 19 months.\n");
    const doc = await seedDocument(db, storage, f.tenant.id, { title: "Board pack", filename: "board.md", bytes: text, sealed: true });
    const other = await seedDocument(db, storage, f.tenant.id, { title: "Other", filename: "other.md", bytes: utf8("# Other\n\nSomething else.\n"), sealed: true });
    expect(Buffer.from((await download(f, doc.id)).bytes)).toEqual(Buffer.from(text));

    const sealed = Buffer.from(await storage.get(doc.storageKey));
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    await storage.put(doc.storageKey, tampered);
    await expect(download(f, doc.id)).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "originalUnreadable" });
    // Each object is bound to its own document: another document's sealed object under this key fails too.
    await storage.put(doc.storageKey, await storage.get(other.storageKey));
    await expect(download(f, doc.id)).rejects.toMatchObject({ reason: "originalUnreadable" });
    // Nothing was served, so nothing was audited as a download.
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: "document.download", targetId: doc.id } })).toBe(1);
  });

  it("serves an original stored before encryption as it is", async () => {
    const f = await createTenantWithMembers();
    const text = utf8("Plain notes from before originals were encrypted.\n");
    const doc = await seedDocument(db, storage, f.tenant.id, { title: "Notes", filename: "notes.txt", bytes: text });
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id }, select: { contentKeyCiphertext: true } })).toEqual({ contentKeyCiphertext: null });
    expect(Buffer.from((await download(f, doc.id)).bytes)).toEqual(Buffer.from(text));
  });

  it("cannot be read once the workspace's data keys are destroyed, even from a copy of the object", async () => {
    const f = await createTenantWithMembers();
    const doc = await seedDocument(db, storage, f.tenant.id, { title: "Plan", filename: "plan.md", bytes: utf8("# Plan\n\nConfidential.\n"), sealed: true });
    const copy = await storage.get(doc.storageKey);
    expect((await download(f, doc.id)).bytes.byteLength).toBeGreaterThan(0);
    await shredTenantKeys(f.tenant.id);
    await storage.put(doc.storageKey, copy);
    // The row's sealed title and file name (ADR 0015) fail first; the original would fail the same way.
    const err = await download(f, doc.id).then(() => null, (e: unknown) => e as { code?: string; cause?: { code?: string } });
    expect(err?.code === "KEY_DESTROYED" || err?.cause?.code === "KEY_DESTROYED").toBe(true);
  });
});
