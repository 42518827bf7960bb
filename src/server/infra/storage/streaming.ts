import { readFile } from "node:fs/promises";
import { assertValidKey } from "./keys";
import type { ObjectStorage } from "./types";

/*
 * Large objects (data-export archives) through any ObjectStorage: the drivers stream
 * (putFile / getStream); a test double without those methods gets the buffered path, which is
 * fine for the small objects tests use and never taken in production (both drivers stream).
 */

/** Stores the local file `filePath` under `key`. */
export const putObjectFile = async (storage: ObjectStorage, key: string, filePath: string, opts?: { contentType?: string }): Promise<void> => {
  assertValidKey(key);
  if (storage.putFile) return storage.putFile(key, filePath, opts);
  await storage.put(key, new Uint8Array(await readFile(filePath)), opts);
};

/** The object under `key` as a byte stream (ObjectNotFoundError when missing). */
export const getObjectStream = async (storage: ObjectStorage, key: string): Promise<ReadableStream<Uint8Array>> => {
  if (storage.getStream) return storage.getStream(key);
  const bytes = await storage.get(key);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
};
