import "server-only";
import { parseCiphertextHeader } from "@ocsuite/crypto";
import type { Prisma } from "~/server/db/generated/client";
import { db } from "~/server/db/client";
import { contentKeyColumns, contentKeyField } from "../knowledge/original-cipher";
import { archiveKeyColumns, archiveKeyField } from "../privacy/export/archive-cipher";
import { CONTENT_KEY_FIELD, contentKeyRow } from "~/server/db/keys/content-keys";

/**
 * Every column that holds an @ocsuite/crypto ciphertext, in one list: the
 * rotation job re-encrypts and verifies exactly these. A new kind of tenant
 * secret is added here (and the rotation tests then cover it), or it would be
 * left under a retired key.
 */
export type EncryptedRow = { id: string; ciphertext: string };

export type EncryptedColumn = {
  /** Stable name, used in checkpoints: "<Model>.<column>". */
  name: string;
  /** The AAD field name the value was encrypted with. */
  field: (id: string) => string;
  /** How many of the tenant's rows hold a ciphertext in this column (the rotation's rowsTotal). */
  count: (tenantId: string) => Promise<number>;
  /** Up to `limit` rows of the tenant with id > afterId, in id order. */
  page: (tenantId: string, afterId: string | null, limit: number) => Promise<EncryptedRow[]>;
  /**
   * Compare-and-set inside the batch's transaction: writes `next` only while the
   * row still holds `previous` (a user's concurrent edit or delete wins; the
   * verify pass picks the row up again if it is still stale).
   */
  swap: (tx: Prisma.TransactionClient, tenantId: string, id: string, previous: string, next: string) => Promise<boolean>;
};

const providerCredentialSecret: EncryptedColumn = {
  name: "ProviderCredential.secretCiphertext",
  field: (id) => `provider-credential:${id}`,
  count: (tenantId) => db.providerCredential.count({ where: { tenantId } }),
  page: async (tenantId, afterId, limit) => {
    const rows = await db.providerCredential.findMany({
      where: { tenantId, ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, secretCiphertext: true },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map((r) => ({ id: r.id, ciphertext: r.secretCiphertext }));
  },
  swap: async (tx, tenantId, id, previous, next) => {
    const { count } = await tx.providerCredential.updateMany({
      where: { id, tenantId, secretCiphertext: previous },
      data: { secretCiphertext: next, keyVersion: parseCiphertextHeader(next).keyVersion },
    });
    return count === 1;
  },
};

/** A document original's content key (services/knowledge/original-cipher.ts): rotating it never touches the object. */
const documentContentKey: EncryptedColumn = {
  name: "Document.contentKeyCiphertext",
  field: contentKeyField,
  count: (tenantId) => db.document.count({ where: { tenantId, contentKeyVersion: { not: null } } }),
  page: async (tenantId, afterId, limit) => {
    const rows = await db.document.findMany({
      where: { tenantId, contentKeyCiphertext: { not: null }, ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, contentKeyCiphertext: true },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map((r) => ({ id: r.id, ciphertext: r.contentKeyCiphertext! }));
  },
  swap: async (tx, tenantId, id, previous, next) => {
    const { count } = await tx.document.updateMany({ where: { id, tenantId, contentKeyCiphertext: previous }, data: contentKeyColumns(next) });
    return count === 1;
  },
};

/** A data export's archive key (services/privacy/export/archive-cipher.ts): as a document's, the sealed archive is untouched. */
const dataExportArchiveKey: EncryptedColumn = {
  name: "DataExport.archiveKeyCiphertext",
  field: archiveKeyField,
  count: (tenantId) => db.dataExport.count({ where: { tenantId, archiveKeyCiphertext: { not: null } } }),
  page: async (tenantId, afterId, limit) => {
    const rows = await db.dataExport.findMany({
      where: { tenantId, archiveKeyCiphertext: { not: null }, ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, archiveKeyCiphertext: true },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map((r) => ({ id: r.id, ciphertext: r.archiveKeyCiphertext! }));
  },
  swap: async (tx, tenantId, id, previous, next) => {
    const { count } = await tx.dataExport.updateMany({ where: { id, tenantId, archiveKeyCiphertext: previous }, data: archiveKeyColumns(next) });
    return count === 1;
  },
};

/**
 * The workspace's content key (ADR 0015): one row, under which every sealed content column lies.
 * Rotating it re-encrypts this key only; the sealed rows are untouched. The id is the tenant id.
 */
const tenantContentKey: EncryptedColumn = {
  name: "TenantContentKey.keyCiphertext",
  field: () => CONTENT_KEY_FIELD,
  count: (tenantId) => db.tenantContentKey.count({ where: { tenantId } }),
  page: async (tenantId, afterId) => {
    if (afterId !== null) return [];
    const row = await db.tenantContentKey.findUnique({ where: { tenantId }, select: { keyCiphertext: true } });
    return row ? [{ id: tenantId, ciphertext: row.keyCiphertext }] : [];
  },
  swap: async (tx, tenantId, _id, previous, next) => {
    const { count } = await tx.tenantContentKey.updateMany({ where: { tenantId, keyCiphertext: previous }, data: contentKeyRow(next) });
    return count === 1;
  },
};

// New columns go at the end: a checkpoint names a column by its index, so a rotation in flight resumes where it was.
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [providerCredentialSecret, documentContentKey, tenantContentKey, dataExportArchiveKey];

/** A checkpoint names the column and the last id finished in it: "<column index>:<id>". */
export type Checkpoint = { column: number; afterId: string | null };

export const parseCheckpoint = (cursor: string | null): Checkpoint => {
  if (!cursor) return { column: 0, afterId: null };
  const at = cursor.indexOf(":");
  const column = Number(cursor.slice(0, at));
  return { column: Number.isInteger(column) && column >= 0 ? column : 0, afterId: cursor.slice(at + 1) || null };
};

export const formatCheckpoint = ({ column, afterId }: Checkpoint): string => `${column}:${afterId ?? ""}`;

export const keyVersionOf = (ciphertext: string): number | null => {
  try {
    return parseCiphertextHeader(ciphertext).keyVersion;
  } catch {
    return null;
  }
};
