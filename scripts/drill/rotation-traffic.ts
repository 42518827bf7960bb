/**
 * Continuous reads and writes during the rotation drill, from the drill's own
 * process (its own key cache, like a web server beside the worker): readers
 * decrypt random known secrets and compare them with what was written; a writer
 * adds new credentials and remembers their plaintext for the final check.
 */
import type { SeededTenant } from "./rotation-phases";

export type TrafficCounts = { reads: number; failedReads: number; writes: number; failedWrites: number; written: { tenantId: string; id: string; key: string }[]; firstFailure: string | null };

const READERS = 4;

export const startTraffic = (tenants: SeededTenant[]) => {
  const counts: TrafficCounts = { reads: 0, failedReads: 0, writes: 0, failedWrites: 0, written: [], firstFailure: null };
  let running = true;
  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
  const reader = async () => {
    const { getDecryptedCredential } = await import("../../src/server/services/providers/credentials");
    while (running) {
      const t = pick(tenants);
      const s = pick(t.secrets);
      const got = await getDecryptedCredential({ tenantId: t.tenantId }, s.id).catch((err: unknown) => {
        counts.firstFailure ??= `read: ${(err as Error).message}`;
        return null;
      });
      counts.reads += 1;
      if (got?.apiKey !== s.key) counts.failedReads += 1;
    }
  };
  const writer = async () => {
    const { createCredential } = await import("../../src/server/services/providers/credentials");
    for (let i = 0; running; i++) {
      const t = pick(tenants);
      const key = `sk-drill-write-${i}-${"y".repeat(24)}`;
      try {
        const made = await createCredential(t.ctx, { provider: "openai", label: `written ${i}`, apiKey: key });
        counts.written.push({ tenantId: t.tenantId, id: made.id, key });
        counts.writes += 1;
      } catch (err) {
        counts.failedWrites += 1;
        counts.firstFailure ??= `write: ${(err as Error).message}`;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const loops = [...Array.from({ length: READERS }, reader), writer()];
  return {
    stop: async (): Promise<TrafficCounts> => {
      running = false;
      await Promise.all(loops);
      return counts;
    },
  };
};
