import "server-only";
import { ZAuditExportQuery } from "~/server/api/routers/admin/schemas";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { auditCsvHeader, auditCsvRow, auditEventsForExport, type AuditLogEntry } from "~/server/services/admin/audit-log";
import { recordAudit } from "~/server/services/audit/audit";
import type { PlatformAdminRouteCtx } from "./kit/platform-admin-route";

/*
 * GET /api/admin/audit/export?format=csv|json&tenant=&actor=&action=&from=&to=
 * Platform admins only (platformAdminRoute). The export is itself an audited
 * admin action (admin.auditExport, with its filter, on the platform chain) —
 * refused calls included (by the kit), as platformAdminProcedure does for tRPC. Rows are streamed page by
 * page from the database, so an export of the whole log holds one page in
 * memory. A route handler rather than a tRPC query because the browser
 * downloads it as a file.
 */

export const AUDIT_EXPORT_ROUTE = "/api/admin/audit/export";
export const AUDIT_EXPORT_ACTION = "admin.auditExport";

/** A JSON array written one element at a time. */
async function* jsonChunks(rows: AsyncIterable<AuditLogEntry>) {
  yield "[";
  let first = true;
  for await (const row of rows) {
    yield `${first ? "\n" : ",\n"}${JSON.stringify(row)}`;
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
}

async function* csvChunks(rows: AsyncIterable<AuditLogEntry>) {
  yield auditCsvHeader();
  for await (const row of rows) yield auditCsvRow(row);
}

const streamOf = (chunks: AsyncGenerator<string>) => {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        // Headers are gone already: a cut-off download is all we can signal.
        logger.error({ err }, "audit export failed mid-stream");
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
};

/** One export of the platform audit log (see platformAdminRoute). */
export const handleAuditExport = async ({ req, user, meta }: PlatformAdminRouteCtx<Record<string, never>>): Promise<Response> => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = ZAuditExportQuery.safeParse(params);
  if (!parsed.success) {
    await recordAudit({ actorId: user.id, actorType: "PLATFORM_ADMIN", action: AUDIT_EXPORT_ACTION, result: "FAILURE", metadata: { query: params }, meta });
    throw new AppError("BAD_REQUEST", "invalidInput", "Invalid export filter");
  }
  const { format, ...filter } = parsed.data;
  // Per admin and per client IP (RATE_LIMIT_EXPORTS_*; no workspace tier on the platform log).
  await enforceWorkloadLimit("export", { ip: meta.ip, userId: user.id });
  await recordAudit({ actorId: user.id, actorType: "PLATFORM_ADMIN", action: AUDIT_EXPORT_ACTION, metadata: { format, query: params }, meta });

  const rows = auditEventsForExport(filter);
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "").replace("T", "-");
  return new Response(streamOf(format === "csv" ? csvChunks(rows) : jsonChunks(rows)), {
    status: 200,
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
};
