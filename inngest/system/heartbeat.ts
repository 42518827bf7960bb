import { inngest } from "~/server/events/client";
import { systemPingRequested } from "~/server/events/catalog";
import { getHeartbeat, recordHeartbeat } from "~/server/services/jobs/heartbeat";

/**
 * Demo / liveness and the operators' diagnostic job: records a heartbeat for
 * the ping and reports the count. While the ping's diagnostic fault flag is set
 * (admin.runDiagnostic({ fail: true })) the record step throws an ordinary,
 * retriable error, so the run retries and is dead-lettered; retries stay low
 * (2) so that happens within seconds under a short backoff
 * (INNGEST_LOCAL_BACKOFF_MS for the local executor).
 */
export const heartbeat = inngest.createFunction(
  { id: "system-heartbeat", name: "System heartbeat", triggers: [systemPingRequested], retries: 2 },
  async ({ event, step }) => {
    const recorded = await step.run("record-heartbeat", () => recordHeartbeat({ pingId: event.data.pingId, tenantId: event.data.tenantId }));
    const stored = await step.run("read-heartbeat", () => getHeartbeat(recorded.pingId));
    return { pingId: recorded.pingId, beats: stored?.beats ?? recorded.beats };
  },
);
