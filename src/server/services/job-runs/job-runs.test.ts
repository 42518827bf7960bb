import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listJobRuns } from "./job-runs";
import { db } from "~/server/db/client";

const run = (over: { status: string; functionId?: string; tenantId?: string | null; createdAt: Date; startedAt?: Date | null; finishedAt?: Date | null }) =>
  db.inngestRun.create({
    data: {
      id: `run-${randomUUID()}`,
      appId: "ocsuite",
      functionId: over.functionId ?? "ocsuite-test-fn",
      status: over.status,
      eventId: randomUUID(),
      event: { name: "test/event", data: {} },
      events: [],
      tenantId: over.tenantId ?? null,
      maxAttempts: 3,
      attempts: 1,
      createdAt: over.createdAt,
      startedAt: over.startedAt ?? null,
      finishedAt: over.finishedAt ?? null,
    },
  });

describe("listJobRuns (admin Jobs page)", () => {
  it("lists runs newest first with their duration, filters by status and function, pages by cursor, and counts by status", async () => {
    const fn = `ocsuite-runs-test-${randomUUID().slice(0, 8)}`;
    const t0 = new Date("2026-11-01T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const done = await run({ status: "COMPLETED", functionId: fn, createdAt: at(1), startedAt: at(2), finishedAt: at(5) });
    const failed = await run({ status: "FAILED", functionId: fn, tenantId: "tenant-x", createdAt: at(3), startedAt: at(3), finishedAt: at(4) });
    const queued = await run({ status: "QUEUED", functionId: fn, createdAt: at(6) });

    const all = await listJobRuns({ functionId: fn, take: 50 });
    expect(all.items.map((r) => r.id)).toEqual([queued.id, failed.id, done.id]);
    expect(all.items.find((r) => r.id === done.id)?.durationMs).toBe(3000);
    expect(all.items.find((r) => r.id === queued.id)?.durationMs).toBeNull();
    expect(all.items.find((r) => r.id === failed.id)?.tenantId).toBe("tenant-x");
    expect(all.counts.FAILED).toBeGreaterThanOrEqual(1);
    expect(all.counts.QUEUED).toBeGreaterThanOrEqual(1);

    expect((await listJobRuns({ functionId: fn, status: "FAILED", take: 50 })).items.map((r) => r.id)).toEqual([failed.id]);

    const first = await listJobRuns({ functionId: fn, take: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(failed.id);
    const second = await listJobRuns({ functionId: fn, take: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([done.id]);
    expect(second.nextCursor).toBeNull();
  });
});
