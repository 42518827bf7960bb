import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { deleteDocument } from "~/server/services/knowledge/document-delete";
import { getDocument, getKnowledgeUsage, listDocuments } from "~/server/services/knowledge/document-reads";
import { reindexDocument } from "~/server/services/knowledge/document-reindex";
import { ZDeleteDocumentOutput, ZDocument, ZDocumentId, ZKnowledgeUsageOutput, ZListDocumentsInput, ZListDocumentsOutput } from "./schemas";

/**
 * The workspace's knowledge documents. Viewers read; members upload (over
 * POST /api/t/[tenantSlug]/documents, raw bytes, not tRPC) and re-index;
 * delete is the uploader's or an admin's. Originals download over
 * GET /api/t/[tenantSlug]/documents/[documentId]/original.
 */
export const knowledgeRouter = createTRPCRouter({
  list: tenantProcedure("VIEWER").input(ZListDocumentsInput).output(ZListDocumentsOutput).query(({ ctx, input }) => listDocuments(ctx.tenant, input)),
  get: tenantProcedure("VIEWER").input(ZDocumentId).output(ZDocument).query(({ ctx, input }) => getDocument(ctx.tenant, input)),
  usage: tenantProcedure("VIEWER").output(ZKnowledgeUsageOutput).query(({ ctx }) => getKnowledgeUsage(ctx.tenant)),
  delete: tenantProcedure("MEMBER").input(ZDocumentId).output(ZDeleteDocumentOutput).mutation(({ ctx, input }) => deleteDocument(ctx.tenant, input)),
  reindex: tenantProcedure("MEMBER").input(ZDocumentId).output(ZDocument).mutation(({ ctx, input }) => reindexDocument(ctx.tenant, input)),
});
