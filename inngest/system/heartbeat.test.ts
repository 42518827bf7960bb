import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { heartbeat } from "./heartbeat";

// A fresh engine per test: the engine caches mocked step results across executions.
const engine = () => new InngestTestEngine({ function: heartbeat });
const pingEvent = (pingId: string) => ({ name: "system/ping.requested" as const, data: { pingId, tenantId: "tenant-hb" } });

describe("system/heartbeat (InngestTestEngine)", () => {
  it("records a heartbeat through the service and reports the count", async () => {
    const pingId = `hb-${Date.now()}`;
    const { result, ctx } = await engine().execute({ events: [pingEvent(pingId)] });
    expect(result).toEqual({ pingId, beats: 1 });
    expect(ctx.step.run).toHaveBeenCalledWith("record-heartbeat", expect.any(Function));
    expect(ctx.step.run).toHaveBeenCalledWith("read-heartbeat", expect.any(Function));
    expect(await db.jobHeartbeat.findUniqueOrThrow({ where: { pingId } })).toMatchObject({ tenantId: "tenant-hb", beats: 1 });
  });

  it("throws an ordinary (retriable) error while the ping's diagnostic fault flag is set", async () => {
    const pingId = `hb-fault-${Date.now()}`;
    await db.jobHeartbeat.create({ data: { pingId, failUntilFixed: true } });
    const { error } = await engine().execute({ events: [pingEvent(pingId)] });
    expect(error).toMatchObject({ name: "DiagnosticFaultError" });
    expect(await db.jobHeartbeat.findUniqueOrThrow({ where: { pingId } })).toMatchObject({ beats: 0, failUntilFixed: true });
  });

  it("uses the memoized step output when the record step is mocked", async () => {
    const pingId = `hb-mock-${Date.now()}`;
    const { result, ctx } = await engine().execute({
      events: [pingEvent(pingId)],
      steps: [
        { id: "record-heartbeat", handler: () => ({ pingId, beats: 7 }) },
        { id: "read-heartbeat", handler: () => null },
      ],
    });
    expect(result).toEqual({ pingId, beats: 7 });
    expect(ctx.step.run).toHaveBeenCalledWith("record-heartbeat", expect.any(Function));
    expect(await db.jobHeartbeat.findUnique({ where: { pingId } })).toBeNull(); // the mocked step did not touch the database
  });
});
