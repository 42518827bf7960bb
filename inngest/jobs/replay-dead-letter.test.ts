import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { replayDeadLetter } from "./replay-dead-letter";

// A fresh engine per test: the engine caches mocked step results across executions.
const engine = () => new InngestTestEngine({ function: replayDeadLetter });

const seedDeadLetter = () =>
  db.inngestDeadLetter.create({
    data: {
      functionId: "ocsuite-system-heartbeat",
      runId: `run-${Date.now()}-${Math.random()}`,
      eventId: "evt-1",
      eventName: "system/ping.requested",
      event: { name: "system/ping.requested", data: { pingId: "p-replay" }, id: "evt-1", ts: 1 },
      tenantId: "tenant-dl",
      errorName: "Error",
      errorMessage: "boom",
      error: { name: "Error", message: "boom" },
      attempts: 4,
    },
  });

const replayEvent = (deadLetterId: string) => ({ name: "jobs/dead-letter.replayed" as const, data: { deadLetterId } });

describe("jobs/replay-dead-letter (InngestTestEngine)", () => {
  it("marks the dead letter replayed and sends its original event again", async () => {
    const dl = await seedDeadLetter();
    const { result, ctx } = await engine().execute({
      events: [replayEvent(dl.id)],
      steps: [{ id: "send-original-event", handler: () => ({ ids: ["new-evt"] }) }],
    });
    expect(result).toEqual({ replayed: true, eventIds: ["new-evt"] });
    // A new event id (never the original "evt-1", which the engine would deduplicate).
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("send-original-event", { id: `replay-${dl.id}`, name: "system/ping.requested", data: { pingId: "p-replay" } });
    expect((await db.inngestDeadLetter.findUniqueOrThrow({ where: { id: dl.id } })).replayedAt).not.toBeNull();
  });

  it("records who asked for the replay", async () => {
    const dl = await seedDeadLetter();
    await engine().execute({
      events: [{ name: "jobs/dead-letter.replayed" as const, data: { deadLetterId: dl.id, requestedBy: "admin-1" } }],
      steps: [{ id: "send-original-event", handler: () => ({ ids: ["new-evt"] }) }],
    });
    expect(await db.inngestDeadLetter.findUniqueOrThrow({ where: { id: dl.id } })).toMatchObject({ replayedBy: "admin-1" });
  });

  it("does not replay a discarded dead letter", async () => {
    const dl = await seedDeadLetter();
    await db.inngestDeadLetter.update({ where: { id: dl.id }, data: { discardedAt: new Date(), discardedBy: "admin-1", discardReason: "obsolete" } });
    const { error, ctx } = await engine().execute({ events: [replayEvent(dl.id)] });
    expect(error).toMatchObject({ name: "NonRetriableError", message: "deadLetterDiscarded" });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });

  it("fails without retrying when the dead letter does not exist", async () => {
    const { error, ctx } = await engine().execute({ events: [replayEvent("missing")] });
    expect(error).toMatchObject({ name: "NonRetriableError", message: "deadLetterNotFound" });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });

  it("does not send twice for an already replayed dead letter", async () => {
    const dl = await seedDeadLetter();
    await db.inngestDeadLetter.update({ where: { id: dl.id }, data: { replayedAt: new Date() } });
    const { error, ctx } = await engine().execute({ events: [replayEvent(dl.id)] });
    expect(error).toMatchObject({ message: "deadLetterAlreadyReplayed" });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});
