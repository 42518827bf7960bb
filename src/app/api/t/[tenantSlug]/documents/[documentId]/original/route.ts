import { DOCUMENT_ORIGINAL_ROUTE, handleDocumentDownload } from "~/server/http/documents-route";
import { tenantRoute } from "~/server/http/kit/tenant-route";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Downloads a document's stored original (as an attachment). See src/server/http/documents-route.ts. */
export const GET = tenantRoute("VIEWER", handleDocumentDownload, { route: DOCUMENT_ORIGINAL_ROUTE });
