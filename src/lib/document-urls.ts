// The document endpoints of src/server/http/documents-route.ts, in lib because the
// knowledge pages and the citation dialogs (components/markdown) both link to them.

/** Where one file is uploaded (POST, raw bytes; see src/server/http/documents-route.ts). */
export const documentsUploadUrl = (tenantSlug: string) => `/api/t/${encodeURIComponent(tenantSlug)}/documents`;

/** The stored original of a document (GET; attachment). */
export const documentOriginalUrl = (tenantSlug: string, documentId: string) =>
  `/api/t/${encodeURIComponent(tenantSlug)}/documents/${encodeURIComponent(documentId)}/original`;
