/**
 * Where uploaded originals are kept. Keys are validated by every driver (see
 * keys.ts); `get` of a missing key throws ObjectNotFoundError; `delete` of a
 * missing key succeeds (idempotent).
 */
export type ObjectStorage = {
  put(key: string, bytes: Uint8Array, opts?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
};
