import { createTRPCRouter, platformAdminProcedure } from "~/server/api/trpc";
import { getOpsLive } from "~/server/services/reliability/ops-live";
import { getQueueBacklog } from "~/server/services/reliability/queue-backlog";
import { getSloStatus } from "~/server/services/reliability/slo-status";
import { getTopTenants } from "~/server/services/reliability/top-tenants";
import { ZOpsLiveOutput, ZQueueBacklogOutput, ZSloStatusOutput, ZTopTenantsOutput } from "./schemas";

/**
 * /admin/ops for platform admins (mounted as admin.ops): SLOs from the same
 * spec as the Prometheus alerts, live queue health and the heaviest tenants.
 * Every call is audited on the platform chain by platformAdminProcedure.
 */
export const opsRouter = createTRPCRouter({
  slos: platformAdminProcedure.output(ZSloStatusOutput).query(() => getSloStatus()),
  live: platformAdminProcedure.output(ZOpsLiveOutput).query(() => getOpsLive()),
  topTenants: platformAdminProcedure.output(ZTopTenantsOutput).query(() => getTopTenants()),
  // the banner on every admin page while a job queue is backlogged (admin layout)
  queueBacklog: platformAdminProcedure.output(ZQueueBacklogOutput).query(() => getQueueBacklog()),
});
