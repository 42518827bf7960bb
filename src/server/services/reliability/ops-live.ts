import "server-only";
import { checkHealth } from "~/server/services/health/health";
import { getQueueHealth } from "./queue-health";

/** The parts of /admin/ops that change by the second (polled every 15 s): this instance's dependencies and the job queues. */
export const getOpsLive = async (opts: { now?: Date } = {}) => {
  const [health, queues] = await Promise.all([checkHealth(), getQueueHealth(opts)]);
  return { health, queues };
};
