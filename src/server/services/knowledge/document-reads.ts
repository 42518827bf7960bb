import "server-only";
import { z } from "zod";
import { searchWords } from "~/lib/search";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { prefixTokens } from "~/server/db/search-index";
import { AppError, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { isObjectNotFound, storageForDocument } from "~/server/infra/storage";
import { recordAudit } from "../audit/audit";
import { contentKeysFor } from "~/server/db/keys/content-keys";
import { openOriginal } from "./original-cipher";
import type { TenantCtx } from "../context";
import {
  asStatus,
  DEFAULT_LIST_LIMIT,
  DOCUMENT_SELECT,
  DOCUMENT_STATUSES,
  dtoOf,
  findDocument,
  knowledgeLimits,
  MAX_LIST_LIMIT,
  MAX_SEARCH_CHARS,
  requireRole,
  toDto,
  uploadersOf,
  type DocumentDeps,
  type DocumentDto,
  type DocumentStatus,
} from "./documents";

// Reading the workspace's documents (VIEWER+): the list with its filter
// counts, one document, the quota usage, and the stored original (download).

export const ZListDocumentsInput = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional(),
  query: z.string().trim().max(MAX_SEARCH_CHARS).optional(),
  /** The last document id of the previous page. */
  cursor: z.string().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
});
export type ListDocumentsInput = z.input<typeof ZListDocumentsInput>;

export type DocumentCounts = Record<DocumentStatus | "total", number>;
export type ListDocumentsResult = { items: DocumentDto[]; nextCursor: string | null; counts: DocumentCounts };

/**
 * The workspace's documents, newest first, optionally filtered by status and
 * by a title/file-name search; `counts` are per status over the whole
 * workspace (for the filter chips), independent of filter and page.
 */
export const listDocuments = async (ctx: TenantCtx, raw: ListDocumentsInput = {}): Promise<ListDocumentsResult> => {
  requireRole(ctx, "VIEWER");
  const parsed = ZListDocumentsInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", z.prettifyError(parsed.error));
  const { status, query, cursor, limit } = parsed.data;
  // Titles and file names are sealed at rest (ADR 0015): the search is on their blind word-prefix
  // tokens (db/search-index.ts), every word of the query starting a word of the title or file name.
  const words = query ? searchWords(query) : [];
  const tokens = words.length > 0 ? prefixTokens(await contentKeysFor(ctx.tenantId), words) : [];
  const where: Prisma.DocumentWhereInput = {
    tenantId: ctx.tenantId,
    ...(status ? { status } : {}),
    ...(query ? { AND: tokens.length > 0 ? tokens.map((t) => ({ searchIndex: { contains: t } })) : [{ id: { in: [] } }] } : {}),
  };
  let cursorWhere: Prisma.DocumentWhereInput = {};
  if (cursor) {
    const at = await db.document.findFirst({ where: { id: cursor, tenantId: ctx.tenantId }, select: { id: true, createdAt: true } });
    if (at) cursorWhere = { OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] };
  }
  const [rows, grouped] = await Promise.all([
    db.document.findMany({ where: { AND: [where, cursorWhere] }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit + 1, select: DOCUMENT_SELECT }),
    db.document.groupBy({ by: ["status"], where: { tenantId: ctx.tenantId }, _count: { _all: true } }),
  ]);
  const page = rows.slice(0, limit);
  const uploaders = await uploadersOf(page);
  const counts: DocumentCounts = { queued: 0, processing: 0, ready: 0, failed: 0, total: 0 };
  for (const g of grouped) {
    counts[asStatus(g.status)] += g._count._all;
    counts.total += g._count._all;
  }
  return { items: page.map((r) => toDto(ctx, r, uploaders)), nextCursor: rows.length > limit ? page.at(-1)!.id : null, counts };
};

export const getDocument = async (ctx: TenantCtx, input: { id: string }): Promise<DocumentDto> => {
  requireRole(ctx, "VIEWER");
  return dtoOf(ctx, await findDocument(ctx, input.id));
};

export type KnowledgeUsage = { usedBytes: number; quotaBytes: number; documentCount: number };

/** Bytes the workspace's originals use against its quota, and how many documents it has. */
export const getKnowledgeUsage = async (ctx: TenantCtx): Promise<KnowledgeUsage> => {
  requireRole(ctx, "VIEWER");
  const agg = await db.document.aggregate({ where: { tenantId: ctx.tenantId }, _sum: { sizeBytes: true }, _count: { _all: true } });
  return { usedBytes: agg._sum.sizeBytes ?? 0, quotaBytes: knowledgeLimits().quotaBytes, documentCount: agg._count._all };
};

export type DocumentOriginal = { id: string; filename: string; mimeType: string; sizeBytes: number; bytes: Uint8Array };

/**
 * The stored original, for download (a sensitive read: audited as
 * `document.download`). A row whose object is missing is NOT_FOUND (and logged:
 * that should never happen, see the upload's ordering).
 */
export const readOriginal = async (ctx: TenantCtx, input: { id: string }, deps: DocumentDeps = {}): Promise<DocumentOriginal> => {
  requireRole(ctx, "VIEWER");
  // tenantId in the where clause: another tenant's id is simply not found.
  const row = await db.document.findFirst({ where: { id: input.id, tenantId: ctx.tenantId }, select: { ...DOCUMENT_SELECT, contentKeyCiphertext: true } });
  if (!row) throw notFound("Document");
  const storage = deps.storage ?? storageForDocument(row);
  let stored: Uint8Array;
  try {
    stored = await storage.get(row.storageKey);
  } catch (err) {
    if (isObjectNotFound(err)) {
      logger.error({ tenantId: ctx.tenantId, documentId: row.id, storageKey: row.storageKey }, "a document's stored original is missing");
      throw notFound("Document original");
    }
    logger.error({ err, tenantId: ctx.tenantId, documentId: row.id }, "reading a document original failed");
    throw new AppError("SERVICE_UNAVAILABLE", "storageUnavailable", "The document could not be read; try again", { cause: err });
  }
  // Encrypted originals (original-cipher.ts); one that no longer decrypts is originalUnreadable.
  const bytes = await openOriginal(row, stored);
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "document.download",
    targetType: "document",
    targetId: row.id,
    metadata: { filename: row.filename, kind: row.kind, sizeBytes: row.sizeBytes },
    meta: ctx.meta,
  });
  return { id: row.id, filename: row.filename, mimeType: row.mimeType, sizeBytes: bytes.byteLength, bytes };
};
