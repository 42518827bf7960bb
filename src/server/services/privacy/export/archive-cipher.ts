import "server-only";
import { isCryptoError, parseCiphertextHeader } from "@ocsuite/crypto";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { createStreamSealer, newStreamKey, openSealedFrames, type StreamSealer } from "./archive-stream";

/*
 * An export archive is stored sealed (crypto-shredding, as document originals: knowledge/
 * original-cipher.ts): streamed through a fresh per-export key (archive-stream.ts) as it is
 * written, that key kept only in DataExport.archiveKeyCiphertext under the workspace's data key.
 * Destroying the data keys (workspace purge) leaves every copy of the archive, in a bucket
 * version or a backup, unopenable; a data-key rotation re-encrypts the small key column
 * (key-rotation/encrypted-columns.ts), never the object. A row without a key holds an archive
 * stored before archives were sealed: it is served as it is.
 */

/** The AAD field of an export's archive key (one per export: a key copied to another row fails). */
export const archiveKeyField = (exportId: string): string => `data-export-key:${exportId}`;

const aadOf = (tenantId: string, exportId: string) => [tenantId, exportId];

/** The DataExport columns of an archive key: its ciphertext and data-key version. */
export type ArchiveKeyColumns = { archiveKeyCiphertext: string; archiveKeyVersion: number };

export const archiveKeyColumns = (archiveKeyCiphertext: string): ArchiveKeyColumns => ({ archiveKeyCiphertext, archiveKeyVersion: parseCiphertextHeader(archiveKeyCiphertext).keyVersion });

/**
 * A sealer for a new archive, and the columns to record its key in, encrypted when asked: at the
 * end of the build, under the data key active then (a build can take minutes, and a data-key
 * rotation that finished meanwhile would not see a key not yet on its row).
 */
export const newArchiveSealer = async (tenantId: string, exportId: string): Promise<{ sealer: StreamSealer; keyColumns: () => Promise<ArchiveKeyColumns> }> => {
  const key = await newStreamKey();
  const keyColumns = async () => archiveKeyColumns(await tenantCrypto().encryptField({ tenantId, field: archiveKeyField(exportId), plaintext: key }));
  return { sealer: await createStreamSealer(key, aadOf(tenantId, exportId)), keyColumns };
};

export type StoredArchive = { tenantId: string; id: string; archiveKeyCiphertext: string | null };

/** Transient key-store trouble is not an unreadable archive: it is thrown as it is and retried. */
const unreadable = (x: StoredArchive, err: unknown) => {
  if (!isCryptoError(err) || err.code === "KEY_VAULT_UNAVAILABLE") return err;
  logger.error({ cryptoCode: err.code, tenantId: x.tenantId, exportId: x.id }, "a data-export archive failed to decrypt");
  return new AppError("PRECONDITION_FAILED", "exportUnreadable", "This export's archive can no longer be decrypted", { cause: err });
};

/**
 * The zip of a stored archive as a stream. The key is opened and the first frame authenticated
 * before this returns, so a destroyed key, a wrong object or a tampered start is a clear
 * exportUnreadable refusal rather than a broken download; damage further in errors the stream
 * (the client sees an aborted download, never a wrong zip).
 */
export const openArchiveStream = async (x: StoredArchive, stored: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> => {
  if (x.archiveKeyCiphertext === null) return stored;
  const source = Readable.fromWeb(stored as NodeWebStream<Uint8Array>);
  let frames: AsyncIterator<Uint8Array>;
  let first: IteratorResult<Uint8Array>;
  try {
    const key = await tenantCrypto().decryptField({ tenantId: x.tenantId, field: archiveKeyField(x.id), ciphertext: x.archiveKeyCiphertext });
    frames = openSealedFrames(key, aadOf(x.tenantId, x.id), source)[Symbol.asyncIterator]();
    first = await frames.next();
  } catch (err) {
    source.destroy();
    throw unreadable(x, err);
  }
  return new ReadableStream<Uint8Array>({
    start: (c) => (first.done ? c.close() : c.enqueue(first.value)),
    pull: async (c) => {
      try {
        const next = await frames.next();
        if (next.done) c.close();
        else c.enqueue(next.value);
      } catch (err) {
        logger.error({ err, tenantId: x.tenantId, exportId: x.id }, "a data-export archive failed to decrypt mid-stream");
        c.error(err);
      }
    },
    cancel: async () => {
      await frames.return?.();
    },
  });
};
