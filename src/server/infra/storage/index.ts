import "server-only";
import path from "node:path";
import { env } from "~/env";
import { createFsStorage } from "./fs-driver";
import { createS3Storage } from "./s3-driver";
import type { ObjectStorage } from "./types";
import { isResidencyRegion, type ResidencyRegion } from "~/lib/regions";

/*
 * Object storage for uploaded originals, chosen by env (docs/runbooks/storage.md):
 * STORAGE_DRIVER=fs (default) keeps files under STORAGE_FS_ROOT, else
 * <OCSUITE_DATA_DIR or .data>/storage (the folder npm start already uses);
 * STORAGE_DRIVER=s3 talks to any S3-compatible store (S3_* variables).
 * STORAGE_REGIONS adds a storage per data-residency region (storageForRegion below); a document
 * records the region it was stored in, and every read and delete uses storageForDocument.
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

// ─── data residency (issue 16) ───────────────────────────────────────────────

type RegionEntry = NonNullable<(typeof env.STORAGE_REGIONS)[ResidencyRegion]>;

const regionFromEnv = (region: ResidencyRegion, entry: RegionEntry): ObjectStorage =>
  entry.driver === "s3"
    ? createS3Storage({
        bucket: entry.bucket,
        region: entry.region,
        endpoint: entry.endpoint,
        forcePathStyle: entry.forcePathStyle,
        credentials: entry.accessKeyId && entry.secretAccessKey ? { accessKeyId: entry.accessKeyId, secretAccessKey: entry.secretAccessKey } : undefined,
      })
    : // A string, not path.join/resolve: Turbopack traces the whole project for a dynamic path call
      // (createFsStorage resolves the root itself).
      createFsStorage(entry.root ?? `${fsStorageRoot()}/regions/${region}`);

const regional = new Map<ResidencyRegion, ObjectStorage>();

/**
 * Whether the operator gave `region` a storage of its own (STORAGE_REGIONS). Without one, a
 * workspace preferring that region still stores its originals in the default storage, and the
 * privacy centre says so.
 */
export const hasRegionalStorage = (region: ResidencyRegion): boolean => env.STORAGE_REGIONS[region] !== undefined;

/**
 * Where a NEW original of a workspace preferring `residency` goes: the region id to record on
 * Document.storageRegion (null = the default storage, when the region has none of its own).
 * Recording null rather than the preference keeps every document readable if the operator adds
 * a region's storage later: a document is always read from where it was written.
 */
export const storageRegionFor = (residency: string): ResidencyRegion | null => (isResidencyRegion(residency) && hasRegionalStorage(residency) ? residency : null);

/**
 * The storage holding objects recorded under `region` (Document.storageRegion): that region's
 * configured storage, the default storage for null. A region recorded on a document but since
 * removed from STORAGE_REGIONS is a configuration error, not a missing object: it throws rather
 * than looking in the wrong place and reporting the original gone.
 */
export const storageForRegion = (region: string | null): ObjectStorage => {
  if (region === null) return objectStorage();
  if (!isResidencyRegion(region)) throw new Error(`Unknown storage region "${region}"`);
  const entry = env.STORAGE_REGIONS[region];
  if (!entry) throw new Error(`No storage is configured for region "${region}" (STORAGE_REGIONS); its documents cannot be read`);
  let storage = regional.get(region);
  if (!storage) regional.set(region, (storage = regionFromEnv(region, entry)));
  return storage;
};

/** The storage holding a document's original: every read and delete of an original goes through this. */
export const storageForDocument = (doc: { storageRegion: string | null }): ObjectStorage => storageForRegion(doc.storageRegion);
