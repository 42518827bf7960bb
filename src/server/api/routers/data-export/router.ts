import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { exportLink, getExport, listExports, requestExport } from "~/server/services/privacy/export/requests";
import { ZDataExport, ZDataExportIdInput, ZDataExportLink, ZRequestDataExportInput } from "./schemas";

/**
 * Data exports (issue 16; services/privacy/export): any member exports their own data, admins
 * and owners the whole workspace (the service owns that rule and who sees which export). The
 * archive itself is downloaded through the signed link, from the route
 * /api/t/[tenantSlug]/exports/[exportId]/download.
 */
export const dataExportRouter = createTRPCRouter({
  request: tenantProcedure("VIEWER")
    .input(ZRequestDataExportInput)
    .output(ZDataExport)
    .mutation(({ ctx, input }) => requestExport(ctx.tenant, { scope: input.scope, locale: input.locale, appUrl: ctx.appUrl })),
  list: tenantProcedure("VIEWER").output(ZDataExport.array()).query(({ ctx }) => listExports(ctx.tenant)),
  get: tenantProcedure("VIEWER").input(ZDataExportIdInput).output(ZDataExport).query(({ ctx, input }) => getExport(ctx.tenant, input)),
  link: tenantProcedure("VIEWER").input(ZDataExportIdInput).output(ZDataExportLink).mutation(({ ctx, input }) => exportLink(ctx.tenant, input)),
});
