/**
 * `npm run rotation:drill`: proof that key rotation causes no downtime.
 *
 * Starts a stack (fresh database, the local executor and a worker as child
 * processes; scripts/drill/rotation-stack.ts), seeds DRILL_TENANTS tenants
 * with DRILL_SECRETS provider keys each, and keeps reading (decrypting) and
 * writing (new credentials) from this process — another process than the
 * worker, with its own key cache — while:
 *   1. every tenant's data key rotates (the real Inngest function), and the
 *      worker is killed with SIGKILL in the middle of a batch, then restarted;
 *   2. the replaced versions are retired after a short rollback window;
 *   3. one tenant's rotation is rolled back (its retired v1 restored and active again);
 *   4. the master key is rotated: the worker is restarted with the new master
 *      key version promoted, and every data key is re-wrapped.
 * At the end every secret ever written must decrypt to what was written, with
 * a key ring that no longer holds the old master key. Prints rows rotated,
 * throughput, failed reads and lost writes (both must be 0); exit 1 otherwise.
 * With --record the result goes to docs/runbooks/rotation-drill-last-run.md.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDrillDatabase, startStack } from "./rotation-stack";
import { renderReport, type DrillReport } from "./rotation-report";
import { startTraffic } from "./rotation-traffic";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TENANTS = Number(process.env.DRILL_TENANTS ?? 12);
const SECRETS = Number(process.env.DRILL_SECRETS ?? 40);
const log = (msg: string) => console.log(`[rotation-drill ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const [masterV1, masterV2] = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")];
const APP_ENV: Record<string, string> = {
  NODE_ENV: "production",
  AUTH_SECRET: randomBytes(32).toString("base64"),
  LOG_LEVEL: "warn",
  // Both master key versions are distributed first, v1 pinned as current ("distribute, then promote").
  OCSUITE_MASTER_KEYS: `1:${masterV1},2:${masterV2}`,
  OCSUITE_MASTER_KEY_CURRENT: "1",
  KEY_CACHE_TTL_SECONDS: "2",
  KEY_ROTATION_BATCH_SIZE: "10",
  // The drill's workspaces get their vault keys (ADR 0016) in a folder of their own, not the checkout's .data/.
  OCSUITE_KEY_VAULT_DIR: mkdtempSync(path.join(os.tmpdir(), "ocsuite-drill-key-vault-")),
  // A 6-second rollback window, so retirement happens inside the drill.
  KEY_ROTATION_RETIRE_AFTER_HOURS: String(6 / 3600),
};

const main = async () => {
  const t0 = Date.now();
  const database = await createDrillDatabase();
  log(`database: ${database.kind}`);
  const stack = await startStack(database.url, APP_ENV);
  Object.assign(process.env, stack.env);
  delete process.env.INNGEST_DEV;
  let ok = false;
  try {
    const phases = await import("./rotation-phases");
    const seeded = await phases.seed(TENANTS, SECRETS);
    log(`seeded ${TENANTS} tenants × ${SECRETS} secrets`);
    const traffic = startTraffic(seeded);

    const rotation = await phases.rotateAll(seeded, async () => {
      log("kill -9 of the worker in the middle of a batch");
      stack.killWorker();
      await sleep(1_000);
      await stack.startWorker();
      log("worker restarted");
    });
    log(`data keys rotated: ${rotation.rows} rows in ${rotation.seconds.toFixed(1)} s; retired: ${rotation.retired}/${TENANTS}`);

    const rollback = await phases.rollbackOne(seeded[0]!);
    log(`rollback of ${seeded[0]!.tenantId}: v${rollback.activeAfter} active again, ${rollback.rows} rows re-encrypted back`);

    log("promoting master key v2 (worker restarted without the pin), re-wrapping every data key");
    await stack.stopWorker();
    await stack.startWorker({ OCSUITE_MASTER_KEY_CURRENT: undefined });
    const master = await phases.rotateMaster(`1:${masterV1},2:${masterV2}`);
    log(`master key: ${master.rewrapped} data keys re-wrapped in ${master.seconds.toFixed(1)} s, ${master.remaining} left under v1`);

    const counts = await traffic.stop();
    const final = await phases.verifyAll(seeded, counts.written, `2:${masterV2}`);
    const report: DrillReport = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${database.kind}`,
      tenants: TENANTS,
      seededSecrets: TENANTS * SECRETS,
      rotation,
      rollback,
      master,
      traffic: counts,
      final,
      totalSeconds: (Date.now() - t0) / 1000,
    };
    ok = counts.failedReads === 0 && counts.failedWrites === 0 && final.lostWrites === 0 && final.unreadable === 0 && rotation.failed === 0 && master.remaining === 0;
    const text = renderReport(report, ok);
    console.log(text);
    if (process.argv.includes("--record")) writeFileSync(path.join(ROOT, "docs/runbooks/rotation-drill-last-run.md"), text);
  } catch (err) {
    console.error(`[rotation-drill] FAILED: ${(err as Error).stack ?? err}`);
    console.error(stack.output());
  } finally {
    const { db } = await import("../../src/server/db/client").catch(() => ({ db: null }));
    await db?.$disconnect();
    await stack.stop();
    await database.drop();
  }
  process.exit(ok ? 0 : 1);
};

await main();
