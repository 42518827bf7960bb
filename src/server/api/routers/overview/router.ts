import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { getOverview } from "~/server/services/overview/overview";
import { ZWorkspaceOverview } from "./schemas";

/** The workspace's home: what needs the caller now (every member; conversations are the caller's own). */
export const overviewRouter = createTRPCRouter({
  get: tenantProcedure("VIEWER").output(ZWorkspaceOverview).query(({ ctx }) => getOverview(ctx.tenant)),
});
