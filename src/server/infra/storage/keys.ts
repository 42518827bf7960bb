/*
 * Object keys, shared by every driver. A key is a relative, slash-separated
 * path of plain segments ([A-Za-z0-9_.-], not starting with a dot), so it maps
 * onto a filesystem path or an S3 key without escaping, and can never climb out
 * of the storage root ("..", absolute paths, backslashes, NUL are all refused).
 * Segments starting with "." are reserved for the fs driver's temporary files.
 */

export const MAX_KEY_LENGTH = 1024;
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key.slice(0, 200))}`);
    this.name = "InvalidStorageKeyError";
  }
}

/** A stored object that does not exist (fs ENOENT, S3 NoSuchKey). */
export class ObjectNotFoundError extends Error {
  readonly key: string;
  constructor(key: string, opts: { cause?: unknown } = {}) {
    super(`object not found: ${key}`, opts);
    this.name = "ObjectNotFoundError";
    this.key = key;
  }
}

export const isObjectNotFound = (e: unknown): e is ObjectNotFoundError => e instanceof ObjectNotFoundError;

export const isValidKey = (key: string): boolean =>
  typeof key === "string" && key.length > 0 && key.length <= MAX_KEY_LENGTH && key.split("/").every((s) => SEGMENT.test(s));

/** Returns the key, or throws InvalidStorageKeyError. */
export const assertValidKey = (key: string): string => {
  if (!isValidKey(key)) throw new InvalidStorageKeyError(key);
  return key;
};

/** Where a document's original lives: one key per document id (never per name). */
export const documentOriginalKey = (tenantId: string, documentId: string): string =>
  assertValidKey(`tenants/${tenantId}/documents/${documentId}/original`);
