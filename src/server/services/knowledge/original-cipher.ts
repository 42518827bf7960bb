import "server-only";
import { isCryptoError, openBlob, parseCiphertextHeader, sealBlob } from "@ocsuite/crypto";
import { logger } from "~/server/infra/logger";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { KnowledgeError } from "./errors";

/*
 * A document's original is stored encrypted (issue 16, crypto-shredding): sealed under a
 * fresh content key (@ocsuite/crypto sealBlob), that key kept in Document.contentKeyCiphertext
 * under the workspace's data key. Destroying the data key (workspace deletion) therefore
 * makes the original unreadable in the bucket, its versions and its backups; a data-key
 * rotation re-encrypts the small key column (services/key-rotation/encrypted-columns.ts),
 * never the object. A row without a content key holds an original stored before this
 * existed, read as it is.
 */

/** The AAD field of a document's content key (one per document: a key copied to another row fails). */
export const contentKeyField = (documentId: string): string => `document-content-key:${documentId}`;

const aadOf = (tenantId: string, documentId: string) => ["document-original", tenantId, documentId];

/** The Document columns that hold an original's content key: the ciphertext and its data-key version. */
export type ContentKeyColumns = { contentKeyCiphertext: string; contentKeyVersion: number };

/** The columns for a content key ciphertext (its version read from the header). */
export const contentKeyColumns = (contentKeyCiphertext: string): ContentKeyColumns => ({ contentKeyCiphertext, contentKeyVersion: parseCiphertextHeader(contentKeyCiphertext).keyVersion });

/** The bytes to store for a new original, and the Document columns of its encrypted content key. */
export const sealOriginal = async (tenantId: string, documentId: string, bytes: Uint8Array): Promise<{ sealed: Uint8Array; columns: ContentKeyColumns }> => {
  const { sealed, contentKey } = sealBlob(bytes, aadOf(tenantId, documentId));
  const contentKeyCiphertext = await tenantCrypto().encryptField({ tenantId, field: contentKeyField(documentId), plaintext: contentKey });
  return { sealed, columns: contentKeyColumns(contentKeyCiphertext) };
};

export type StoredOriginal = { tenantId: string; id: string; contentKeyCiphertext: string | null };

/**
 * The original's plaintext from its stored bytes. A key that no longer decrypts (the
 * workspace's keys destroyed) or bytes that do not authenticate (moved or modified in
 * storage) are KnowledgeError originalUnreadable, logged with the crypto code only.
 */
export const openOriginal = async (doc: StoredOriginal, stored: Uint8Array): Promise<Uint8Array> => {
  if (doc.contentKeyCiphertext === null) return stored;
  try {
    const contentKey = await tenantCrypto().decryptField({ tenantId: doc.tenantId, field: contentKeyField(doc.id), ciphertext: doc.contentKeyCiphertext });
    return openBlob(contentKey, stored, aadOf(doc.tenantId, doc.id));
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    logger.error({ cryptoCode: err.code, tenantId: doc.tenantId, documentId: doc.id }, "a document's original failed to decrypt");
    throw new KnowledgeError("originalUnreadable", "The document's original cannot be decrypted", { cause: err });
  }
};
