/**
 * `npm run originals:seal` as a real child process against the test database and the test run's
 * fs storage: a legacy original of the named workspace is sealed and still downloads; usage errors
 * and unknown workspaces exit 2 without touching anything.
 */
import { isSealedBlob } from "@ocsuite/crypto";
import { describe, expect, it } from "vitest";
import { runScript } from "../tests/support/run-script";
import { createTenantWithMembers, tenantCtxOf } from "../prisma/factories";
import { seedDocument, utf8 } from "../tests/fixtures/knowledge/seed";
import { db } from "~/server/db/client";
import { objectStorage } from "~/server/infra/storage";
import { readOriginal } from "~/server/services/knowledge/document-reads";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { wrapAsBeforeTheVault } from "../tests/support/legacy-keys";

const run = (args: string[]) => runScript("seal-originals.ts", args);

describe("npm run content:seal (alias originals:seal)", () => {
  it("seals the named workspace's legacy originals (exit 0, counts printed); the download still serves the file", async () => {
    const f = await createTenantWithMembers();
    const text = "# Legacy\n\nStored before originals were encrypted.\n";
    const doc = await seedDocument(db, objectStorage(), f.tenant.id, { title: "Legacy", filename: "legacy.md", bytes: utf8(text) });
    const secret = await tenantCrypto().encryptField({ tenantId: f.tenant.id, field: "test:legacy", plaintext: "from before the vault" });
    await wrapAsBeforeTheVault(f.tenant.id);
    expect(await db.tenantDataKey.findMany({ where: { tenantId: f.tenant.id }, select: { kekId: true } })).toEqual([{ kekId: "env" }]);
    const r = await run(["--tenant", f.tenant.slug]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // The data key moved under the workspace's vault key (ADR 0016), and still opens what it sealed.
    expect(await db.tenantDataKey.findMany({ where: { tenantId: f.tenant.id }, select: { kekId: true } })).toEqual([{ kekId: "env/ws-file" }]);
    tenantCrypto().invalidateCache(f.tenant.id);
    expect(await tenantCrypto().decryptField({ tenantId: f.tenant.id, field: "test:legacy", ciphertext: secret })).toBe("from before the vault");
    expect(r.stdout).toMatch(/^keys: moved 1 data keys of 1 workspaces under the workspace key vault\ncontent: sealed \d+ rows \(TenantPersona \d+, Tenant \d+, Conversation \d+, .*\)\noriginals: sealed 1, missing 0, changed meanwhile 0, orphaned objects 0\n$/);
    const row = await db.document.findUniqueOrThrow({ where: { id: doc.id } });
    expect(isSealedBlob(await objectStorage().get(row.storageKey))).toBe(true);
    const original = await readOriginal(tenantCtxOf(f.tenant, f.viewer, "VIEWER"), { id: doc.id });
    expect(new TextDecoder().decode(original.bytes)).toBe(text);
  });

  it("exit 2 on usage errors and unknown workspaces", async () => {
    expect(await run(["--nope"])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown argument: --nope") });
    expect(await run(["--tenant"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--tenant needs") });
    expect(await run(["--tenant", "no-such-workspace-xyz"])).toMatchObject({ code: 2, stderr: expect.stringContaining('no tenant with id or slug "no-such-workspace-xyz"') });
    expect(await run(["--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("usage: npm run content:seal") });
  });
});
