import { DATA_EXPORT_DOWNLOAD_ROUTE, handleDataExportDownload } from "~/server/http/data-export-route";
import { tenantRoute } from "~/server/http/kit/tenant-route";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Downloads a ready data export through its signed link. See src/server/http/data-export-route.ts. */
export const GET = tenantRoute("VIEWER", handleDataExportDownload, { route: DATA_EXPORT_DOWNLOAD_ROUTE });
