import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { assertValidKey, InvalidStorageKeyError, ObjectNotFoundError } from "./keys";
import type { ObjectStorage } from "./types";

const errnoOf = (e: unknown): string | undefined => (e && typeof e === "object" && "code" in e ? String(e.code) : undefined);

/**
 * Filesystem driver (the embedded default): one file per key under `root`.
 *
 * - Keys are validated (see keys.ts) and the resolved path is checked to stay
 *   under the root, so nothing outside it can be read, written or deleted.
 * - Writes are atomic: the bytes go to a temporary file in the same directory,
 *   are fsynced, then renamed over the final name, so a reader sees the old
 *   object, the new one or none, never a partial file (also after a crash).
 * - Deleting a missing key is not an error (idempotent, like S3).
 */
export const createFsStorage = (rootDir: string): ObjectStorage & { root: string; pathOf: (key: string) => string } => {
  const root = path.resolve(rootDir);

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const file = path.resolve(root, ...key.split("/"));
    // Defence in depth: the key rules already make this impossible.
    if (!file.startsWith(root + path.sep)) throw new InvalidStorageKeyError(key);
    return file;
  };

  const writeAtomically = async (file: string, bytes: Uint8Array) => {
    const tmp = path.join(path.dirname(file), `.tmp-${randomUUID()}`);
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
    try {
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  };

  return {
    root,
    pathOf,
    async put(key, bytes) {
      const file = pathOf(key);
      // A concurrent delete may remove the (empty) directory between mkdir and
      // open; one retry covers that.
      for (let attempt = 0; ; attempt++) {
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        try {
          await writeAtomically(file, bytes);
          return;
        } catch (err) {
          if (errnoOf(err) !== "ENOENT" || attempt > 0) throw err;
        }
      }
    },
    async get(key) {
      const file = pathOf(key);
      try {
        return new Uint8Array(await readFile(file));
      } catch (err) {
        if (errnoOf(err) === "ENOENT" || errnoOf(err) === "ENOTDIR") throw new ObjectNotFoundError(key, { cause: err });
        throw err;
      }
    },
    async delete(key) {
      const file = pathOf(key);
      await rm(file, { force: true });
      // Tidy the object's now-empty directory (one per document); a directory
      // that still holds something, or is already gone, stays as it is.
      if (path.dirname(file) !== root) await rmdir(path.dirname(file)).catch(() => undefined);
    },
  };
};
