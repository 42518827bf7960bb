import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { searchWorkspace } from "~/server/services/search/workspace-search";
import { ZSearchInput, ZSearchOutput } from "./schemas";

/**
 * The command palette's workspace search. Viewers and up; what each role gets
 * back (a viewer has no conversations or personas) is the service's rule.
 */
export const searchRouter = createTRPCRouter({
  query: tenantProcedure("VIEWER").input(ZSearchInput).output(ZSearchOutput).query(({ ctx, input }) => searchWorkspace(ctx.tenant, input)),
});
