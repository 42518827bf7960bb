/**
 * FileKeyVault: the workspace key vault of the embedded default (one machine). One 32-byte key per
 * workspace in `<dir>/<tenantId>.key` (mode 0600), outside the database and therefore outside its
 * dumps, replicas and backups. Destroying overwrites the file with zeros, syncs it and unlinks it.
 *
 * A fleet (several machines) needs a vault they all reach: VaultTransitKeyVault. Whoever backs up
 * this folder keeps purged workspaces readable for as long as that copy lives (docs/runbooks/storage.md).
 */
import { randomBytes, createSecretKey } from "node:crypto";
import { constants } from "node:fs";
import { link, mkdir, open as openFile, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { KEY_BYTES, open, seal } from "./aead";
import { CryptoError } from "./errors";
import { assertVaultTenantId, type WorkspaceKeyVault } from "./workspace-key-vault";

/** First byte of every blob: lets the format change later without guessing. */
const BLOB_VERSION = 1;

const isCode = (err: unknown, code: string): boolean => (err as NodeJS.ErrnoException | null)?.code === code;

const syncDir = async (dir: string): Promise<void> => {
  // Makes the create / unlink itself durable (POSIX: the directory entry lives in the directory).
  const handle = await openFile(dir, constants.O_RDONLY).catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own sync already happened.
  } finally {
    await handle.close();
  }
};

export class FileKeyVault implements WorkspaceKeyVault {
  readonly id = "file";
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  #file(tenantId: string): string {
    return path.join(this.dir, `${assertVaultTenantId(tenantId)}.key`);
  }

  async #read(tenantId: string): Promise<Buffer | null> {
    try {
      const key = await readFile(this.#file(tenantId));
      if (key.length !== KEY_BYTES) throw new CryptoError("DECRYPT_FAILED", `workspace key file of ${tenantId} in ${this.dir} is damaged (${key.length} bytes)`);
      return key;
    } catch (err) {
      if (isCode(err, "ENOENT")) return null;
      throw err;
    }
  }

  /** Creates the key race-free: written to a temporary file, then hard-linked into place (fails if another process won). */
  async #create(tenantId: string): Promise<Buffer> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.#file(tenantId);
    const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await openFile(temp, "wx", 0o600);
    try {
      await handle.writeFile(randomBytes(KEY_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, target);
      await syncDir(this.dir);
    } catch (err) {
      if (!isCode(err, "EEXIST")) throw err;
    } finally {
      await unlink(temp);
    }
    const key = await this.#read(tenantId);
    if (!key) throw new CryptoError("KEY_VAULT_UNAVAILABLE", `workspace key of ${tenantId} vanished from ${this.dir} while it was created`);
    return key;
  }

  async encrypt(tenantId: string, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    const raw = (await this.#read(tenantId)) ?? (await this.#create(tenantId));
    const key = createSecretKey(raw);
    raw.fill(0);
    return Buffer.concat([Buffer.from([BLOB_VERSION]), seal(key, plaintext, aad)]);
  }

  async decrypt(tenantId: string, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    const raw = await this.#read(tenantId);
    if (!raw) {
      throw new CryptoError(
        "KEY_DESTROYED",
        `workspace ${tenantId} has no key in ${this.dir}: it was destroyed by the workspace purge (or this is not the folder its keys were created in)`,
      );
    }
    const key = createSecretKey(raw);
    raw.fill(0);
    if (ciphertext[0] !== BLOB_VERSION) throw new CryptoError("MALFORMED_CIPHERTEXT", `workspace-vault blob of ${tenantId} has an unknown version`);
    const plain = open(key, ciphertext.subarray(1), aad);
    if (plain === null) throw new CryptoError("DECRYPT_FAILED", `workspace-vault blob of ${tenantId} does not authenticate (wrong workspace, key version or tampered row)`);
    return plain;
  }

  async destroy(tenantId: string): Promise<boolean> {
    const file = this.#file(tenantId);
    let handle;
    try {
      handle = await openFile(file, "r+");
    } catch (err) {
      if (isCode(err, "ENOENT")) return false;
      throw err;
    }
    try {
      // Overwrite before unlinking: the blocks would otherwise keep the key until reused.
      await handle.write(Buffer.alloc(KEY_BYTES), 0, KEY_BYTES, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await unlink(file).catch((err: unknown) => {
      if (!isCode(err, "ENOENT")) throw err;
    });
    await syncDir(this.dir);
    return true;
  }

  async has(tenantId: string): Promise<boolean> {
    const key = await this.#read(tenantId);
    key?.fill(0);
    return key !== null;
  }
}
