import { db } from "~/server/db/client";

/** Thrown by the heartbeat while a diagnostic fault is set; an ordinary (retriable) error on purpose. */
export class DiagnosticFaultError extends Error {
  constructor(pingId: string) {
    super(`diagnostic fault set for ping ${pingId} (clear it with admin.fixDiagnostic)`);
    this.name = "DiagnosticFaultError";
  }
}

/**
 * Records one heartbeat for `pingId` (idempotent per call: upsert + increment).
 * Throws DiagnosticFaultError while the ping's diagnostic fault flag is set
 * (services/job-diagnostics/diagnostics.ts), so the run retries and then dead-letters.
 */
export const recordHeartbeat = async (input: { pingId: string; tenantId?: string | null }) => {
  const existing = await db.jobHeartbeat.findUnique({ where: { pingId: input.pingId }, select: { failUntilFixed: true } });
  if (existing?.failUntilFixed) throw new DiagnosticFaultError(input.pingId);
  const row = await db.jobHeartbeat.upsert({
    where: { pingId: input.pingId },
    create: { pingId: input.pingId, tenantId: input.tenantId ?? null, beats: 1 },
    update: { beats: { increment: 1 }, lastBeatAt: new Date() },
  });
  return { pingId: row.pingId, beats: row.beats };
};

/** The heartbeat recorded for `pingId`, or null. */
export const getHeartbeat = async (pingId: string) => {
  const row = await db.jobHeartbeat.findUnique({ where: { pingId } });
  return row ? { pingId: row.pingId, tenantId: row.tenantId, beats: row.beats, lastBeatAt: row.lastBeatAt.toISOString() } : null;
};
