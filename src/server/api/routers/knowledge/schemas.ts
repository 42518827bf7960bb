import { z } from "zod";
import { ZListDocumentsInput } from "~/server/services/knowledge/document-reads";
import { DOCUMENT_STATUSES } from "~/server/services/knowledge/documents";
import { DOCUMENT_KINDS, type DocumentKind } from "~/server/services/knowledge/extract";

export { ZListDocumentsInput };

export const ZDocumentId = z.object({ id: z.string().min(1).max(64) });

/** A document as the UI sees it: no storage key, never any content. */
export const ZDocument = z.strictObject({
  id: z.string(),
  title: z.string(),
  filename: z.string(),
  kind: z.enum(DOCUMENT_KINDS as unknown as [DocumentKind, ...DocumentKind[]]),
  mimeType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  errorReason: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  charCount: z.number().int().nullable(),
  chunkCount: z.number().int(),
  indexVersion: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  indexedAt: z.date().nullable(),
  uploadedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  canDelete: z.boolean(),
});

export const ZListDocumentsOutput = z.object({
  items: z.array(ZDocument),
  nextCursor: z.string().nullable(),
  counts: z.object({ queued: z.number().int(), processing: z.number().int(), ready: z.number().int(), failed: z.number().int(), total: z.number().int() }),
});

export const ZDeleteDocumentOutput = z.object({ id: z.string(), originalDeleted: z.boolean() });

export const ZKnowledgeUsageOutput = z.object({ usedBytes: z.number().int().nonnegative(), quotaBytes: z.number().int().positive(), documentCount: z.number().int().nonnegative() });
