import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { assertValidKey, ObjectNotFoundError } from "./keys";
import type { ObjectStorage } from "./types";

export type S3StorageConfig = {
  bucket: string;
  region: string;
  /** Unset: AWS S3's own endpoint for the region. MinIO/R2/others: their URL. */
  endpoint?: string;
  /** Unset: the SDK's default credential chain (instance/task role, AWS_* variables). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** https://host/bucket/key instead of https://bucket.host/key (MinIO and most self-hosted stores). */
  forcePathStyle?: boolean;
  /** Total time for one operation, retries included. */
  timeoutMs?: number;
};

const isNotFound = (err: unknown) =>
  err instanceof S3ServiceException ? err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata?.httpStatusCode === 404 : false;

/**
 * S3-compatible driver (AWS S3, MinIO, Cloudflare R2, …) on @aws-sdk/client-s3.
 * Requests are SigV4-signed by the SDK. Checksums are sent and validated only
 * where the operation requires them ("WHEN_REQUIRED"): the SDK's newer default
 * (CRC32 trailers on every upload) is not understood by every S3-compatible
 * store, and the object's SHA-256 is kept in the database anyway.
 */
export const createS3Storage = (config: S3StorageConfig): ObjectStorage & { client: S3Client } => {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle ?? false,
    credentials: config.credentials,
    maxAttempts: 3,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const timeout = () => AbortSignal.timeout(config.timeoutMs ?? 60_000);

  return {
    client,
    async put(key, bytes, opts) {
      await client.send(
        new PutObjectCommand({ Bucket: config.bucket, Key: assertValidKey(key), Body: bytes, ContentLength: bytes.byteLength, ContentType: opts?.contentType ?? "application/octet-stream" }),
        { abortSignal: timeout() },
      );
    },
    async putFile(key, filePath, opts) {
      // One PutObject streamed from the file with its length (S3 takes up to 5 GiB in one put;
      // EXPORT_MAX_BYTES stays under 4 GiB), so the SDK never buffers the body.
      const { size } = await stat(filePath);
      await client.send(
        new PutObjectCommand({ Bucket: config.bucket, Key: assertValidKey(key), Body: createReadStream(filePath), ContentLength: size, ContentType: opts?.contentType ?? "application/octet-stream" }),
        { abortSignal: AbortSignal.timeout(Math.max(config.timeoutMs ?? 60_000, 600_000)) },
      );
    },
    async getStream(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: assertValidKey(key) }));
        if (!res.Body) throw new ObjectNotFoundError(key);
        return res.Body.transformToWebStream() as ReadableStream<Uint8Array>;
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key, { cause: err });
        throw err;
      }
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: assertValidKey(key) }), { abortSignal: timeout() });
        if (!res.Body) throw new ObjectNotFoundError(key);
        return await res.Body.transformToByteArray();
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key, { cause: err });
        throw err;
      }
    },
    async delete(key) {
      // S3 answers 204 for a key that does not exist: idempotent as it is.
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: assertValidKey(key) }), { abortSignal: timeout() });
    },
  };
};
