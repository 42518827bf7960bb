import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, open, readFile, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertValidKey, InvalidStorageKeyError, ObjectNotFoundError } from "./keys";
import type { ObjectStorage } from "./types";

const errnoOf = (e: unknown): string | undefined => (e && typeof e === "object" && "code" in e ? String(e.code) : undefined);

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

/** A copy of a local file, atomically as writeAtomically (the kernel copies; nothing is buffered here). */
const copyAtomically = async (file: string, source: string) => {
  const tmp = path.join(path.dirname(file), `.tmp-${randomUUID()}`);
  try {
    await copyFile(source, tmp);
    const handle = await open(tmp, "r+");
    await handle.sync().finally(() => handle.close());
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
};

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

  // A concurrent delete may remove the (empty) directory between mkdir and
  // open; one retry covers that.
  const writeWithRetry = async (file: string, write: () => Promise<void>) => {
    for (let attempt = 0; ; attempt++) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      try {
        await write();
        return;
      } catch (err) {
        if (errnoOf(err) !== "ENOENT" || attempt > 0) throw err;
      }
    }
  };

  return {
    root,
    pathOf,
    async put(key, bytes) {
      const file = pathOf(key);
      await writeWithRetry(file, () => writeAtomically(file, bytes));
    },
    async putFile(key, filePath) {
      const file = pathOf(key);
      await writeWithRetry(file, () => copyAtomically(file, filePath));
    },
    async getStream(key) {
      const file = pathOf(key);
      try {
        await stat(file);
      } catch (err) {
        if (errnoOf(err) === "ENOENT" || errnoOf(err) === "ENOTDIR") throw new ObjectNotFoundError(key, { cause: err });
        throw err;
      }
      return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
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
