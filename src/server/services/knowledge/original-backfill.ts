import "server-only";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { isObjectNotFound, storageForDocument, type ObjectStorage } from "~/server/infra/storage";
import { appendAuditEvent } from "../audit/audit";
import { sealOriginal } from "./original-cipher";

/*
 * Seals the originals stored before originals were encrypted (ADR 0014): `npm run originals:seal`.
 * Per document: read the plaintext object, write the sealed one under a new key
 * (<key>.sealed), then switch the row to the new key and its content key in one compare-and-set,
 * then delete the old object. A reader sees either the old pair (plaintext, no content key) or the
 * new one (sealed, content key), never a mix; a reader that loaded the old row just before the
 * switch may find the old object gone (one NOT_FOUND, then the new row). Idempotent and resumable:
 * a rerun picks up whatever still has no content key; a document deleted or changed meanwhile
 * keeps its row as it is and the written object is removed again.
 */

export type SealBackfillResult = { sealed: number; missing: number; skipped: number; orphanedObjects: number };

export type SealBackfillOptions = {
  /** One workspace only (else every workspace). */
  tenantId?: string;
  batchSize?: number;
  /** Where a document's original is (tests); the app's residency storage by default. */
  storageFor?: (doc: { storageRegion: string | null }) => ObjectStorage;
};

const SEALED_SUFFIX = ".sealed";

export const sealLegacyOriginals = async (opts: SealBackfillOptions = {}): Promise<SealBackfillResult> => {
  const storageFor = opts.storageFor ?? storageForDocument;
  const result: SealBackfillResult = { sealed: 0, missing: 0, skipped: 0, orphanedObjects: 0 };
  let afterId: string | undefined;
  for (;;) {
    const rows = await db.document.findMany({
      where: { contentKeyCiphertext: null, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}), ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, tenantId: true, storageKey: true, storageRegion: true },
      orderBy: { id: "asc" },
      take: opts.batchSize ?? 100,
    });
    if (rows.length === 0) break;
    afterId = rows.at(-1)!.id;
    for (const row of rows) {
      const storage = storageFor(row);
      let plain: Uint8Array;
      try {
        plain = await storage.get(row.storageKey);
      } catch (err) {
        if (!isObjectNotFound(err)) throw err;
        // Already logged by every read of it; nothing to seal.
        result.missing += 1;
        continue;
      }
      const { sealed, columns } = await sealOriginal(row.tenantId, row.id, plain);
      const sealedKey = `${row.storageKey}${SEALED_SUFFIX}`;
      await storage.put(sealedKey, sealed, { contentType: "application/octet-stream" });
      const { count } = await db.document.updateMany({
        where: { id: row.id, tenantId: row.tenantId, storageKey: row.storageKey, contentKeyCiphertext: null },
        data: { storageKey: sealedKey, ...columns },
      });
      const stale = count === 0 ? sealedKey : row.storageKey;
      if (count === 0) result.skipped += 1;
      else result.sealed += 1;
      try {
        await storage.delete(stale);
      } catch (err) {
        result.orphanedObjects += 1;
        logger.error({ err, tenantId: row.tenantId, documentId: row.id, storageKey: stale }, "sealing an original: could not delete the object it replaced (orphaned object)");
      }
    }
  }
  await appendAuditEvent({ tenantId: null, actorType: "SYSTEM", action: "documents.originals_sealed", targetType: opts.tenantId ? "tenant" : null, targetId: opts.tenantId ?? null, metadata: result });
  return result;
};
