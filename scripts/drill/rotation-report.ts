import type { FinalCheck, MasterPhase, RollbackPhase, RotationPhase } from "./rotation-phases";
import type { TrafficCounts } from "./rotation-traffic";

export type DrillReport = {
  date: string;
  machine: string;
  tenants: number;
  seededSecrets: number;
  rotation: RotationPhase;
  rollback: RollbackPhase;
  master: MasterPhase;
  traffic: TrafficCounts;
  final: FinalCheck;
  totalSeconds: number;
};

/** The drill's result as Markdown (printed, and with --record kept in docs/runbooks/rotation-drill-last-run.md). */
export const renderReport = (r: DrillReport, ok: boolean): string =>
  [
    `# Rotation drill — last run: ${ok ? "PASS" : "FAIL"}`,
    "",
    `${r.date} · ${r.machine} · \`npm run rotation:drill\` (scripts/drill/rotation-drill.ts) · ${r.totalSeconds.toFixed(0)} s in all`,
    "",
    "| what | result |",
    "|---|---|",
    `| tenants × seeded secrets | ${r.tenants} × ${r.seededSecrets / r.tenants} = ${r.seededSecrets} |`,
    `| data-key rotation, all tenants at once | ${r.rotation.rows} rows re-encrypted in ${r.rotation.batches} batches, ${r.rotation.seconds.toFixed(1)} s to verified (incl. one 2 s cache wait) — **${r.rotation.rowsPerSecond.toFixed(1)} rows/s** |`,
    `| forced crash | worker killed with SIGKILL after ${r.rotation.crashAfterBatches} committed batches, restarted 1 s later; ${r.rotation.rowsDoneVsRows} |`,
    `| rotations failed / retired after the window | ${r.rotation.failed} / ${r.rotation.retired} of ${r.tenants} |`,
    `| rollback (one tenant, v1 was ${r.rollback.restoredFrom}) | v${r.rollback.activeAfter} active again, ${r.rollback.rows} rows re-encrypted back in ${r.rollback.seconds.toFixed(1)} s |`,
    `| master-key rotation (v1 → v2) | ${r.master.rewrapped} data keys re-wrapped in ${r.master.seconds.toFixed(1)} s; ${r.master.remaining} left under v1 |`,
    `| reads during all of it | ${r.traffic.reads} — **failed reads: ${r.traffic.failedReads}** |`,
    `| writes during all of it | ${r.traffic.writes} (refused: ${r.traffic.failedWrites}) — **lost writes: ${r.final.lostWrites}** |`,
    `| final check with master key v2 only | ${r.final.checked} secrets: ${r.final.unreadable} unreadable, ${r.final.notUnderActive} not under the tenant's active data key |`,
    ...(r.traffic.firstFailure ? ["", `First failure: ${r.traffic.firstFailure}`] : []),
    "",
    "Pass means: 0 failed reads, 0 refused writes, 0 lost writes, 0 unreadable secrets, no failed rotation, nothing left under the old master key.",
    "",
  ].join("\n");
