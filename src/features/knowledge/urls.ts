/** Where one file is uploaded (POST, raw bytes; see src/server/http/documents-route.ts). */
export const documentsUploadUrl = (tenantSlug: string) => `/api/t/${encodeURIComponent(tenantSlug)}/documents`;

/** The stored original of a document (GET; attachment). */
export const documentOriginalUrl = (tenantSlug: string, documentId: string) =>
  `/api/t/${encodeURIComponent(tenantSlug)}/documents/${encodeURIComponent(documentId)}/original`;
