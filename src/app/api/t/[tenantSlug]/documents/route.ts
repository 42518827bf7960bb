import { DOCUMENTS_ROUTE, handleDocumentUpload } from "~/server/http/documents-route";
import { tenantRoute } from "~/server/http/kit/tenant-route";

// Uploads are per-user writes on Node (Prisma, storage): never cached or prerendered.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Uploads one document (raw bytes, name in x-filename). See src/server/http/documents-route.ts. */
export const POST = tenantRoute("MEMBER", handleDocumentUpload, { route: DOCUMENTS_ROUTE });
