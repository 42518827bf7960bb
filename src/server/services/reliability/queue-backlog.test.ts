/**
 * The queue gauges (depth, oldest due age) and the admins' backlog reading on
 * the real job-store tables. The database is shared with other test files, so
 * every assertion looks only at this file's own function ids.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createTenantWithMembers, createUser, uid } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { parsePrometheusText } from "../../../../tests/support/prometheus-text";
import { db } from "~/server/db/client";
import { BACKLOG_RUNBOOK, BACKLOG_THRESHOLDS, getQueueBacklog } from "./queue-backlog";
import { observeJobQueueDepth, readJobQueue } from "~/server/infra/job-queue-depth";
import { scrapePrometheus } from "~/server/infra/metrics-exporter";

const tag = uid();
const FN = { late: `qd-${tag}-late`, leased: `qd-${tag}-leased`, keyed: `qd-${tag}-keyed`, capped: `qd-${tag}-capped`, fresh: `qd-${tag}-fresh` };
const runIds: string[] = [];
const ago = (s: number) => new Date(Date.now() - s * 1000);

const run = async (functionId: string) => {
  const id = `qd-${uid()}`;
  runIds.push(id);
  await db.inngestRun.create({ data: { id, appId: "qd-test", functionId, status: "QUEUED", eventId: `evt-${id}`, event: {}, events: [], maxAttempts: 1 } });
  return id;
};
const item = async (functionId: string, data: { kind?: string; availableAt: Date; leaseUntil?: Date; concurrency?: { key: string; limit: number }[] }) =>
  db.inngestQueueItem.create({ data: { id: `qi-${uid()}`, runId: await run(functionId), kind: data.kind ?? "CALL", stepId: "step", availableAt: data.availableAt, leaseUntil: data.leaseUntil, concurrency: data.concurrency } });

const seed = async () => {
  const inAMinute = new Date(Date.now() + 60_000);
  // late: due 10 minutes ago; a later item due 2 minutes ago; a retry scheduled an hour ahead; an old timer.
  await item(FN.late, { availableAt: ago(600) });
  await item(FN.late, { availableAt: ago(120) });
  await item(FN.late, { availableAt: new Date(Date.now() + 3_600_000) });
  await item(FN.late, { kind: "SLEEP", availableAt: ago(7200) });
  // leased: running now, nothing waits.
  await item(FN.leased, { availableAt: ago(900), leaseUntil: inAMinute });
  // keyed: tenant t1's limit of 1 is full with its own running item, so its 20-minute-old item is fair share, not late.
  const t1 = { key: `${FN.keyed}:event.data.tenantId:t1`, limit: 1 };
  await item(FN.keyed, { availableAt: ago(1800), leaseUntil: inAMinute, concurrency: [t1] });
  await item(FN.keyed, { availableAt: ago(1200), concurrency: [t1] });
  // capped: the function-wide limit of 1 is full: the waiting item is missing capacity and counts.
  const fnWide = { key: `${FN.capped}::`, limit: 1 };
  await item(FN.capped, { availableAt: ago(1800), leaseUntil: inAMinute, concurrency: [{ key: `${FN.capped}:event.data.tenantId:a`, limit: 5 }, fnWide] });
  await item(FN.capped, { availableAt: ago(400), concurrency: [{ key: `${FN.capped}:event.data.tenantId:b`, limit: 5 }, fnWide] });
  // fresh: only a retry scheduled for later — waiting, not late.
  await item(FN.fresh, { availableAt: new Date(Date.now() + 30_000) });
};

beforeAll(seed);
afterAll(async () => {
  await db.inngestQueueItem.deleteMany({ where: { runId: { in: runIds } } });
  await db.inngestRun.deleteMany({ where: { id: { in: runIds } } });
});

describe("job queue gauges", () => {
  it("depth counts unleased CALL items; the oldest age only due ones, not held by their own key's full limit", async () => {
    const readings = await readJobQueue();
    const mine = Object.fromEntries(Object.values(FN).map((fn) => [fn, readings.get(fn) ?? null]));
    expect(mine[FN.late]?.depth).toBe(3);
    expect(mine[FN.late]?.oldestAgeSeconds).toBeGreaterThanOrEqual(599);
    expect(mine[FN.late]?.oldestAgeSeconds).toBeLessThan(660);
    expect(mine[FN.leased]).toBeNull();
    expect(mine[FN.keyed]).toEqual({ depth: 1, oldestAgeSeconds: 0 });
    expect(mine[FN.capped]?.depth).toBe(1);
    expect(mine[FN.capped]?.oldestAgeSeconds).toBeGreaterThanOrEqual(399);
    expect(mine[FN.fresh]).toEqual({ depth: 1, oldestAgeSeconds: 0 });

    // The same reading through the exporter, under the catalogue's Prometheus names.
    observeJobQueueDepth();
    const { samples } = parsePrometheusText(await scrapePrometheus());
    const value = (name: string, fn: string) => samples.find((s) => s.name === name && s.labels.messaging_destination_name === fn)?.value;
    expect(value("ocsuite_job_queue_depth", FN.late)).toBe(3);
    expect(value("ocsuite_job_queue_oldest_age", FN.late)).toBeGreaterThanOrEqual(599);
    expect(value("ocsuite_job_queue_oldest_age", FN.keyed)).toBe(0);
    expect(value("ocsuite_job_queue_oldest_age", FN.fresh)).toBe(0);
    expect(value("ocsuite_job_queue_oldest_age", FN.leased)).toBeUndefined();
  });

  it("the backlog reading flags functions over the alert thresholds; an unreadable table is 'unavailable', not 'fine'", async () => {
    const backlog = await getQueueBacklog();
    expect(backlog).toMatchObject({ available: true, backlogged: true, thresholds: BACKLOG_THRESHOLDS, runbook: BACKLOG_RUNBOOK });
    const byFn = new Map(backlog.functions.map((f) => [f.functionId, f]));
    expect(byFn.get(FN.late)).toMatchObject({ depth: 3, backlogged: true });
    expect(byFn.get(FN.capped)).toMatchObject({ depth: 1, backlogged: true });
    expect(byFn.get(FN.keyed)).toEqual({ functionId: FN.keyed, depth: 1, oldestAgeSeconds: 0, backlogged: false });
    expect(byFn.get(FN.fresh)?.backlogged).toBe(false);
    // Over the depth threshold alone is backlogged too.
    const deep = await getQueueBacklog({ read: async () => new Map([["x", { depth: BACKLOG_THRESHOLDS.depth + 1, oldestAgeSeconds: 0 }]]) });
    expect(deep.backlogged).toBe(true);
    const calm = await getQueueBacklog({ read: async () => new Map([["x", { depth: BACKLOG_THRESHOLDS.depth, oldestAgeSeconds: BACKLOG_THRESHOLDS.oldestAgeSeconds }]]) });
    expect(calm.backlogged).toBe(false);
    const broken = await getQueueBacklog({ read: () => Promise.reject(new Error("no database")) });
    expect(broken).toMatchObject({ available: false, backlogged: false, functions: [] });
  });

  it("uses the thresholds the alert rules use", () => {
    const file = path.resolve(__dirname, "../../../../ops/prometheus/rules/symptom-alerts.yml");
    const rules = (parse(readFileSync(file, "utf8")) as { groups: { rules: { alert?: string; expr: string; labels: { severity: string } }[] }[] }).groups.flatMap((g) => g.rules);
    const expr = (alert: string, severity: string) => rules.find((r) => r.alert === alert && r.labels.severity === severity)?.expr;
    expect(expr("JobQueueOldestAgeHigh", "ticket")).toBe(`max by (messaging_destination_name) (ocsuite_job_queue_oldest_age) > ${BACKLOG_THRESHOLDS.oldestAgeSeconds}`);
    expect(expr("JobQueueDepthHigh", "ticket")).toBe(`max by (messaging_destination_name) (ocsuite_job_queue_depth) > ${BACKLOG_THRESHOLDS.depth}`);
  });

  it("admin.ops.queueBacklog answers platform admins only", async () => {
    const admin = await createUser({ isPlatformAdmin: true });
    const f = await createTenantWithMembers();
    const res = await callerFor(admin).admin.ops.queueBacklog();
    expect(res.backlogged).toBe(true);
    expect(res.functions.some((x) => x.functionId === FN.late && x.backlogged)).toBe(true);
    for (const user of [f.owner, f.member]) await expect(callerFor(user).admin.ops.queueBacklog()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(null).admin.ops.queueBacklog()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
