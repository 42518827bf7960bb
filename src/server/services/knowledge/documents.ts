import "server-only";
import { env } from "~/env";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { forbidden, notFound } from "~/server/errors";
import type { ObjectStorage } from "~/server/infra/storage";
import { hasRole, type TRole } from "~/lib/roles";
import type { TenantCtx } from "../context";
import type { DocumentKind } from "./extract";

/*
 * The tenant's knowledge documents: what a document is (row, DTO, limits,
 * role rules), shared by the use cases next to it — upload
 * (document-upload.ts), list/read/download (document-reads.ts), delete
 * (document-delete.ts) and re-index (document-reindex.ts).
 *
 * "Nothing half-stored": an upload writes the original under a key named by a
 * fresh document id, THEN inserts the row; when anything fails after the
 * write, the object is deleted again, so there is never a row without its
 * original, and an orphaned object can only be left if that cleanup delete
 * fails too (logged; see docs/runbooks/storage.md). Rows are never visible
 * before their original exists.
 *
 * Roles: list/get/download VIEWER+ (a viewer may read the workspace's
 * knowledge); upload and re-index MEMBER+ (they add content and spend
 * indexing); delete by the uploader (MEMBER+) or ADMIN+.
 */

export const DOCUMENT_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const MAX_SEARCH_CHARS = 200;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/** Limits from env (KNOWLEDGE_MAX_FILE_BYTES, KNOWLEDGE_TENANT_QUOTA_BYTES). */
export const knowledgeLimits = () => ({ maxFileBytes: env.KNOWLEDGE_MAX_FILE_BYTES, quotaBytes: env.KNOWLEDGE_TENANT_QUOTA_BYTES });

export type DocumentDto = {
  id: string;
  title: string;
  filename: string;
  kind: DocumentKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  status: DocumentStatus;
  errorReason: string | null;
  pageCount: number | null;
  charCount: number | null;
  chunkCount: number;
  indexVersion: number;
  createdAt: Date;
  updatedAt: Date;
  indexedAt: Date | null;
  uploadedBy: { id: string; name: string | null } | null;
  /** Whether the caller may delete it (the uploader or an admin). */
  canDelete: boolean;
};

export const DOCUMENT_SELECT = {
  id: true,
  tenantId: true,
  uploadedById: true,
  title: true,
  filename: true,
  kind: true,
  mimeType: true,
  sizeBytes: true,
  sha256: true,
  storageKey: true,
  storageRegion: true,
  status: true,
  errorReason: true,
  pageCount: true,
  charCount: true,
  chunkCount: true,
  indexVersion: true,
  createdAt: true,
  updatedAt: true,
  indexedAt: true,
} as const satisfies Prisma.DocumentSelect;
export type DocumentRow = Prisma.DocumentGetPayload<{ select: typeof DOCUMENT_SELECT }>;

export const asStatus = (s: string): DocumentStatus => ((DOCUMENT_STATUSES as readonly string[]).includes(s) ? (s as DocumentStatus) : "failed");

export type Scope = Pick<TenantCtx, "tenantId" | "userId" | "role">;

export const canDelete = (ctx: Scope, row: { uploadedById: string | null }) =>
  hasRole(ctx.role, "ADMIN") || (hasRole(ctx.role, "MEMBER") && row.uploadedById !== null && row.uploadedById === ctx.userId);

/** Uploader names for rows (Document has no relation to User: an uploader may leave or be deleted). */
export const uploadersOf = async (rows: Array<{ uploadedById: string | null }>) => {
  const ids = [...new Set(rows.map((r) => r.uploadedById).filter((v): v is string => v !== null))];
  if (ids.length === 0) return new Map<string, { id: string; name: string | null }>();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, { id: u.id, name: u.name ?? u.email }]));
};

export const toDto = (ctx: Scope, row: DocumentRow, uploaders: Map<string, { id: string; name: string | null }>): DocumentDto => ({
  id: row.id,
  title: row.title,
  filename: row.filename,
  kind: row.kind as DocumentKind,
  mimeType: row.mimeType,
  sizeBytes: row.sizeBytes,
  sha256: row.sha256,
  status: asStatus(row.status),
  errorReason: row.errorReason,
  pageCount: row.pageCount,
  charCount: row.charCount,
  chunkCount: row.chunkCount,
  indexVersion: row.indexVersion,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  indexedAt: row.indexedAt,
  uploadedBy: row.uploadedById ? (uploaders.get(row.uploadedById) ?? { id: row.uploadedById, name: null }) : null,
  canDelete: canDelete(ctx, row),
});

export const dtoOf = async (ctx: Scope, row: DocumentRow) => toDto(ctx, row, await uploadersOf([row]));

export const requireRole = (ctx: Scope, min: TRole) => {
  if (!hasRole(ctx.role, min)) throw forbidden("roleTooLow", `Requires role ${min}`);
};

export const findDocument = async (ctx: Scope, id: string): Promise<DocumentRow> => {
  // tenantId in the where clause: another tenant's id is simply not found.
  const row = await db.document.findFirst({ where: { id, tenantId: ctx.tenantId }, select: DOCUMENT_SELECT });
  if (!row) throw notFound("Document");
  return row;
};

/** Test seam: which storage to use (defaults to the document's region's: storageForDocument / storageForRegion). */
export type DocumentDeps = { storage?: ObjectStorage };
