/**
 * The layered key ring (master ring inside, per-workspace vault key outside) on both vaults: the key
 * file vault of the embedded default and Vault transit (a local server speaking its HTTP API). The
 * point of it is the backup case: a copy of the key rows taken before the purge, restored after it,
 * opens nothing even with the master keys.
 */
import { mkdtempSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryDataKeyStore, type DataKeyRecord } from "./data-key-store";
import { createEnvelope } from "./envelope";
import { EnvKeyRing } from "./env-key-ring";
import { FileKeyVault } from "./file-key-vault";
import { rewrapTenantKeys } from "./rewrap";
import { errorCode, masterKey } from "./test-fixtures";
import { VaultTransitKeyVault } from "./vault-transit-key-vault";
import { startVaultTransitServer, type VaultTransitTestServer } from "./vault-transit-test-server";
import { WorkspaceKeyRing, type WorkspaceKeyVault } from "./workspace-key-vault";

let vaultServer: VaultTransitTestServer;
beforeAll(async () => {
  vaultServer = await startVaultTransitServer();
});
afterAll(async () => {
  await vaultServer.close();
});

const master = `1:${masterKey()}`;
const vaults: [string, () => WorkspaceKeyVault][] = [
  ["key files", () => new FileKeyVault(mkdtempSync(path.join(tmpdir(), "ocs-ws-vault-")))],
  ["Vault transit", () => new VaultTransitKeyVault({ address: vaultServer.address, token: vaultServer.token })],
];

let seq = 0;
const tenant = () => `tenant_${process.pid}_${(seq += 1)}`;

const setup = (vault: WorkspaceKeyVault, store = new InMemoryDataKeyStore()) => {
  const keyRing = new WorkspaceKeyRing(new EnvKeyRing(master), vault);
  return { keyRing, store, envelope: createEnvelope({ keyRing, store, autoCreateTenantKeys: true }) };
};

describe.each(vaults)("WorkspaceKeyRing on %s", (_name, makeVault) => {
  it("wraps every new data key under the master ring and the workspace's vault key", async () => {
    const vault = makeVault();
    const { envelope, store, keyRing } = setup(vault);
    const t = tenant();
    const c = await envelope.encryptField({ tenantId: t, field: "Secret.value", plaintext: "sk-live-123" });
    await expect(envelope.decryptField({ tenantId: t, field: "Secret.value", ciphertext: c })).resolves.toBe("sk-live-123");
    const [row] = await store.list(t);
    expect(row).toMatchObject({ kekId: `env/ws-${vault.id}`, kekVersion: 1 });
    expect(keyRing.kekId).toBe(`env/ws-${vault.id}`);
    expect(await vault.has(t)).toBe(true);
    // The master ring alone cannot open the stored wrapping any more.
    const masterOnly = new EnvKeyRing(master);
    expect(await errorCode(() => masterOnly.unwrap({ kekId: "env", kekVersion: 1, wrapped: row!.wrappedKey }, { tenantId: t, dataKeyVersion: 1 }))).toBe("DECRYPT_FAILED");
  });

  it("a backup of the key rows taken before the vault key was destroyed opens nothing afterwards, master keys or not", async () => {
    const vault = makeVault();
    const { envelope, store } = setup(vault);
    const t = tenant();
    const c = await envelope.encryptField({ tenantId: t, field: "Message.content", plaintext: "board minutes" });
    const backup: DataKeyRecord[] = await store.list(t);
    expect(await vault.destroy(t)).toBe(true);
    expect(await vault.destroy(t)).toBe(false);
    expect(await vault.has(t)).toBe(false);
    const restored = new InMemoryDataKeyStore();
    for (const row of backup) await restored.insert(row);
    const fresh = setup(makeVaultLike(vault), restored).envelope;
    expect(await errorCode(() => fresh.decryptField({ tenantId: t, field: "Message.content", ciphertext: c }))).toBe("KEY_DESTROYED");
  });

  it("a wrapped key moved to another workspace does not unwrap", async () => {
    const vault = makeVault();
    const { envelope, store, keyRing } = setup(vault);
    const [a, b] = [tenant(), tenant()];
    await envelope.ensureTenantKey(a);
    await envelope.ensureTenantKey(b);
    const [rowA] = await store.list(a);
    expect(await errorCode(() => keyRing.unwrap({ kekId: rowA!.kekId, kekVersion: 1, wrapped: rowA!.wrappedKey }, { tenantId: b, dataKeyVersion: 1 }))).toBe("DECRYPT_FAILED");
    expect(await errorCode(() => keyRing.unwrap({ kekId: rowA!.kekId, kekVersion: 1, wrapped: rowA!.wrappedKey }, { tenantId: a, dataKeyVersion: 2 }))).toBe("DECRYPT_FAILED");
  });

  it("reads data keys wrapped by the master ring alone and the rotation moves them under the vault", async () => {
    const vault = makeVault();
    const store = new InMemoryDataKeyStore();
    const legacy = createEnvelope({ keyRing: new EnvKeyRing(master), store, autoCreateTenantKeys: true });
    const t = tenant();
    const c = await legacy.encryptField({ tenantId: t, field: "f", plaintext: "from before the vault" });
    const { envelope, keyRing } = setup(vault, store);
    await expect(envelope.decryptField({ tenantId: t, field: "f", ciphertext: c })).resolves.toBe("from before the vault");
    expect(keyRing.legacyKekIds).toEqual(["env"]);
    expect(await rewrapTenantKeys({ keyRing, store, tenantId: t })).toMatchObject({ rewrapped: 1 });
    expect((await store.list(t))[0]).toMatchObject({ kekId: `env/ws-${vault.id}` });
    await expect(setup(vault, store).envelope.decryptField({ tenantId: t, field: "f", ciphertext: c })).resolves.toBe("from before the vault");
    await vault.destroy(t);
    expect(await errorCode(() => setup(vault, store).envelope.decryptField({ tenantId: t, field: "f", ciphertext: c }))).toBe("KEY_DESTROYED");
  });

  it("concurrent first uses of a workspace agree on one vault key", async () => {
    const vault = makeVault();
    const t = tenant();
    const aad = new Uint8Array([1, 2, 3]);
    const blobs = await Promise.all(Array.from({ length: 12 }, (_, i) => vault.encrypt(t, new Uint8Array([i]), aad)));
    const opened = await Promise.all(blobs.map((b) => vault.decrypt(t, b, aad)));
    expect(opened.map((o) => o[0])).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});

// A second instance of the same backend (as after a restart): nothing cached in the first one helps.
function makeVaultLike(vault: WorkspaceKeyVault): WorkspaceKeyVault {
  if (vault instanceof FileKeyVault) return new FileKeyVault(vault.dir);
  return new VaultTransitKeyVault({ address: vaultServer.address, token: vaultServer.token });
}

describe("FileKeyVault", () => {
  it("keeps each key in a 0600 file that the purge overwrites and removes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ocs-ws-vault-"));
    const vault = new FileKeyVault(dir);
    const t = tenant();
    await vault.encrypt(t, new Uint8Array([9]), new Uint8Array());
    expect(await readdir(dir)).toEqual([`${t}.key`]);
    expect(statSync(path.join(dir, `${t}.key`)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, `${t}.key`)).size).toBe(32);
    await vault.destroy(t);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses workspace ids that are not plain names", async () => {
    const vault = new FileKeyVault(mkdtempSync(path.join(tmpdir(), "ocs-ws-vault-")));
    expect(await errorCode(() => vault.encrypt("../etc/passwd", new Uint8Array(), new Uint8Array()))).toBe("DECRYPT_FAILED");
  });
});

describe("VaultTransitKeyVault", () => {
  it("creates derived keys, binds the context and deletes with deletion_allowed first", async () => {
    const vault = new VaultTransitKeyVault({ address: vaultServer.address, token: vaultServer.token });
    const t = tenant();
    const blob = await vault.encrypt(t, new Uint8Array([7]), new Uint8Array([1]));
    expect(Buffer.from(blob).toString("utf8")).toMatch(/^vault:v1:/);
    expect(vaultServer.keys.get(`ocsuite-ws-${t}`)?.derived).toBe(true);
    expect(await errorCode(() => vault.decrypt(t, blob, new Uint8Array([2])))).toBe("DECRYPT_FAILED");
    const before = vaultServer.calls.length;
    expect(await vault.destroy(t)).toBe(true);
    expect(vaultServer.calls.slice(before)).toEqual([`POST /v1/transit/keys/ocsuite-ws-${t}/config`, `DELETE /v1/transit/keys/ocsuite-ws-${t}`]);
    expect(await errorCode(() => vault.decrypt(t, blob, new Uint8Array([1])))).toBe("KEY_DESTROYED");
  });

  it("renews its (periodic) token when due, in the background, without slowing or failing calls", async () => {
    const vault = new VaultTransitKeyVault({ address: vaultServer.address, token: vaultServer.token, renewEveryMs: 200 });
    const t = tenant();
    const before = vaultServer.renewals();
    const blob = await vault.encrypt(t, new Uint8Array([5]), new Uint8Array([1]));
    await vault.decrypt(t, blob, new Uint8Array([1]));
    await expect.poll(() => vaultServer.renewals()).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 250));
    await vault.decrypt(t, blob, new Uint8Array([1]));
    await expect.poll(() => vaultServer.renewals()).toBe(before + 2);
    // Off: never.
    const quiet = new VaultTransitKeyVault({ address: vaultServer.address, token: vaultServer.token, renewEveryMs: 0 });
    await quiet.decrypt(t, blob, new Uint8Array([1]));
    await new Promise((r) => setTimeout(r, 50));
    expect(vaultServer.renewals()).toBe(before + 2);
  });

  it("a sealed Vault, a wrong token or no Vault at all is KEY_VAULT_UNAVAILABLE, never KEY_DESTROYED", async () => {
    const t = tenant();
    const good = new VaultTransitKeyVault({ address: vaultServer.address, token: vaultServer.token });
    const blob = await good.encrypt(t, new Uint8Array([1]), new Uint8Array());
    const badToken = new VaultTransitKeyVault({ address: vaultServer.address, token: "hvs.wrong" });
    expect(await errorCode(() => badToken.decrypt(t, blob, new Uint8Array()))).toBe("KEY_VAULT_UNAVAILABLE");
    vaultServer.setDown(true);
    try {
      expect(await errorCode(() => good.decrypt(t, blob, new Uint8Array()))).toBe("KEY_VAULT_UNAVAILABLE");
      expect(await errorCode(() => good.destroy(t))).toBe("KEY_VAULT_UNAVAILABLE");
    } finally {
      vaultServer.setDown(false);
    }
    const nowhere = new VaultTransitKeyVault({ address: "http://127.0.0.1:9", token: "x", timeoutMs: 2000 });
    expect(await errorCode(() => nowhere.decrypt(t, blob, new Uint8Array()))).toBe("KEY_VAULT_UNAVAILABLE");
    expect([...(await good.decrypt(t, blob, new Uint8Array()))]).toEqual([1]);
  });
});
