import "server-only";
import { AppError } from "~/server/errors";
import { openExportDownload } from "~/server/services/privacy/export/download";
import { contentDispositionFor } from "./kit/content-disposition";
import type { TenantRouteCtx } from "./kit/tenant-route";

/*
 * GET /api/t/[tenantSlug]/exports/[exportId]/download?expires=&sig=
 *
 * A ready data export's archive (issue 16), streamed from object storage. The route kit settles
 * session (401) and membership (404); the service checks the signed link (this workspace,
 * unexpired: 403 exportLinkInvalid / exportLinkExpired), that the caller is the requester or an
 * admin/owner for a workspace export (404 otherwise), and audits the download
 * (data_export.downloaded). A tRPC query cannot answer with a file, hence a route.
 */

export const DATA_EXPORT_DOWNLOAD_ROUTE = "/api/t/[tenantSlug]/exports/[exportId]/download";
const EXPORT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const handleDataExportDownload = async ({ req, params, tenant, span }: TenantRouteCtx<{ tenantSlug: string; exportId: string }>): Promise<Response> => {
  if (!EXPORT_ID.test(params.exportId)) throw new AppError("FORBIDDEN", "exportLinkInvalid", "This download link is not valid");
  const url = new URL(req.url);
  const out = await openExportDownload(tenant, { exportId: params.exportId, expires: url.searchParams.get("expires"), sig: url.searchParams.get("sig") });
  span.setAttribute("ocsuite.export.size_bytes", out.sizeBytes ?? 0);
  return new Response(out.body, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      ...(out.sizeBytes ? { "content-length": String(out.sizeBytes) } : {}),
      "content-disposition": contentDispositionFor(out.filename),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
};
