import "server-only";
import path from "node:path";
import { env } from "~/env";
import { createFsStorage } from "./fs-driver";
import { createS3Storage } from "./s3-driver";
import type { ObjectStorage } from "./types";

/*
 * Object storage for uploaded originals, chosen by env (docs/runbooks/storage.md):
 * STORAGE_DRIVER=fs (default) keeps files under STORAGE_FS_ROOT, else
 * <OCSUITE_DATA_DIR or .data>/storage (the folder npm start already uses);
 * STORAGE_DRIVER=s3 talks to any S3-compatible store (S3_* variables).
 */

export type { ObjectStorage } from "./types";
export { documentOriginalKey, InvalidStorageKeyError, isObjectNotFound, isValidKey, ObjectNotFoundError } from "./keys";
export { createFsStorage } from "./fs-driver";
export { createS3Storage, type S3StorageConfig } from "./s3-driver";

/** The fs driver's root directory from env (absolute). */
export const fsStorageRoot = (): string => path.resolve(env.STORAGE_FS_ROOT ?? path.join(env.OCSUITE_DATA_DIR ?? ".data", "storage"));

const fromEnv = (): ObjectStorage => {
  if (env.STORAGE_DRIVER === "s3") {
    // env.js refuses s3 without a bucket; this guards a skipped validation.
    if (!env.S3_BUCKET) throw new Error("STORAGE_DRIVER=s3 needs S3_BUCKET");
    return createS3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
    });
  }
  return createFsStorage(fsStorageRoot());
};

// One driver per module instance (the S3 client keeps its connection pool).
let instance: ObjectStorage | undefined;

/** The configured object storage (STORAGE_DRIVER: fs by default, or s3). */
export const objectStorage = (): ObjectStorage => (instance ??= fromEnv());
