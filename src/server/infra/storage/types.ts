/**
 * Where uploaded originals are kept. Keys are validated by every driver (see
 * keys.ts); `get` of a missing key throws ObjectNotFoundError; `delete` of a
 * missing key succeeds (idempotent).
 */
export type ObjectStorage = {
  put(key: string, bytes: Uint8Array, opts?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
  /**
   * Stores a local file under `key` by streaming it (a data-export archive can be gigabytes: never
   * whole in memory). Optional so that small test doubles need not implement it; both drivers do,
   * and storage/streaming.ts falls back to `put` for a double without it.
   */
  putFile?(key: string, filePath: string, opts?: { contentType?: string }): Promise<void>;
  /** The object as a byte stream (downloads of large objects); ObjectNotFoundError when missing. Optional as putFile. */
  getStream?(key: string): Promise<ReadableStream<Uint8Array>>;
};
