/**
 * Conformance of cron triggers: real SDK functions (inngest 4.24 over
 * inngest/node) with `{ cron }` triggers, synced in-band and run over HTTP by
 * real executors on the test database. The executors' cron clock is `clock`
 * below: tests move it instead of waiting for minutes. Checks happen on the
 * executors' own timers (every 20 ms) and, where a test needs a point after
 * which "nothing more fired" holds, through `executor.cronTick()`, which
 * resolves after a complete check that started after the call.
 */
import { Inngest } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { cronEventId } from "./cron-schedule";
import { startApp, startExecutor } from "./testing/harness";
import type { ExecutorLogger } from "./executor";

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const MINUTE = 60_000;
const POLL = { timeout: 15_000, interval: 25 };

let clock = 0;
const now = () => clock;

// Executors and apps started by a test, closed after it (newest first); each app's synced configs
// are deleted too, so executors started later (here or in other files) do not load its crons.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How many times each (function, event id) ran its step: a run started twice would show 2. */
const ran = new Map<string, number>();

type CronFn = { id: string; triggers: ({ cron: string } | { event: string })[]; idempotency?: string };

/** Serves an app of functions that record the event they received and return it. */
const cronApp = async (appId: string, fns: CronFn[]) => {
  const client = new Inngest({ id: appId, isDev: true, logger: quiet });
  const functions = fns.map((def) =>
    client.createFunction(def as Parameters<typeof client.createFunction>[0], async ({ event, step }) => {
      await step.run("record", () => {
        const key = `${appId}-${def.id}|${event.id}`;
        ran.set(key, (ran.get(key) ?? 0) + 1);
      });
      return event;
    }),
  );
  const app = await startApp(client, functions);
  cleanups.push(async () => {
    await app.close();
    await db.inngestApp.deleteMany({ where: { id: appId } });
  });
  return app;
};

const startCronExecutor = async (opts: { appUrls?: string[]; logger?: ExecutorLogger } = {}) => {
  const exec = await startExecutor({ db, now, cronIntervalMs: 20, ...opts });
  cleanups.push(exec.close);
  return exec;
};

const tickId = (functionId: string, iso: string) => cronEventId(functionId, Date.parse(iso));
const runsOf = (functionId: string) => db.inngestRun.findMany({ where: { functionId }, orderBy: { eventId: "asc" } });
const ticksOf = async (functionId: string) => (await runsOf(functionId)).map((r) => r.eventId);

/** Waits for every run of the function to finish; all must complete, each step having run once. */
const allCompleted = async (exec: Awaited<ReturnType<typeof startCronExecutor>>, functionId: string) => {
  const runs = await Promise.all((await runsOf(functionId)).map((r) => exec.executor.waitForRun(r.id)));
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => "COMPLETED"));
  expect(runs.map((r) => ran.get(`${functionId}|${r.eventId}`))).toEqual(runs.map(() => 1));
  return runs;
};

describe("cron triggers", () => {
  it("starts one run per scheduled minute as the clock moves, with Inngest's scheduled.timer event", async () => {
    clock = Date.parse("2030-01-01T00:00:30Z");
    const app = await cronApp("cron-minute", [{ id: "every", triggers: [{ cron: "* * * * *" }] }]);
    const exec = await startCronExecutor({ appUrls: [app.url] });
    const fn = "cron-minute-every";

    // 00:00 is due "now" when the executor starts (within its minute); then each moved minute fires once.
    const expected = [tickId(fn, "2030-01-01T00:00:00Z")];
    await expect.poll(() => ticksOf(fn), POLL).toEqual(expected);
    for (const minute of [1, 2, 3]) {
      clock += MINUTE;
      expected.push(tickId(fn, `2030-01-01T00:0${minute}:00Z`));
      await expect.poll(() => ticksOf(fn), POLL).toEqual(expected);
    }
    await exec.executor.cronTick();
    expect(await ticksOf(fn)).toEqual(expected);

    const runs = await allCompleted(exec, fn);
    expect(runs[1]!.output).toMatchObject({
      id: "cron:cron-minute-every:2030-01-01T00:01:00Z",
      name: "inngest/scheduled.timer",
      data: { cron: "* * * * *" },
      ts: Date.parse("2030-01-01T00:01:00Z"),
    });
  });

  it("starts one run per tick when two executors share the database", async () => {
    clock = Date.parse("2030-02-01T00:00:30Z");
    const app = await cronApp("cron-pair", [{ id: "pair", triggers: [{ cron: "* * * * *" }] }]);
    const a = await startCronExecutor({ appUrls: [app.url] });
    const b = await startCronExecutor(); // never syncs: loads the configs a persisted
    const fn = "cron-pair-pair";
    expect(b.executor.functions().map((f) => f.id)).toContain(fn);

    const expected: string[] = [];
    for (const minute of [0, 1, 2, 3]) {
      clock = Date.parse(`2030-02-01T00:0${minute}:30Z`);
      expected.push(tickId(fn, `2030-02-01T00:0${minute}:00Z`));
      // Both timers race every 20 ms; these concurrent checks race with them and with each other.
      await Promise.all([a.executor.cronTick(), b.executor.cronTick(), a.executor.cronTick(), b.executor.cronTick()]);
      expect(await ticksOf(fn)).toEqual(expected);
    }
    await allCompleted(a, fn);
  });

  it("does not fire a tick again after a restart, nor backfill the ticks missed while down", async () => {
    clock = Date.parse("2030-03-01T00:00:30Z");
    const app = await cronApp("cron-restart", [{ id: "restart", triggers: [{ cron: "* * * * *" }] }]);
    const fn = "cron-restart-restart";
    const first = await startCronExecutor({ appUrls: [app.url] });
    await first.executor.cronTick();
    expect(await ticksOf(fn)).toEqual([tickId(fn, "2030-03-01T00:00:00Z")]);
    await allCompleted(first, fn);
    await first.close();

    clock = Date.parse("2030-03-01T00:00:50Z"); // 00:00 is still due, and already fired
    const second = await startCronExecutor();
    await second.executor.cronTick();
    expect(await ticksOf(fn)).toEqual([tickId(fn, "2030-03-01T00:00:00Z")]);
    await second.close();

    clock = Date.parse("2030-03-01T00:05:20Z"); // down through 00:01–00:04; 00:05 is due now
    const third = await startCronExecutor();
    await third.executor.cronTick();
    expect(await ticksOf(fn)).toEqual([tickId(fn, "2030-03-01T00:00:00Z"), tickId(fn, "2030-03-01T00:05:00Z")]);
    await allCompleted(third, fn);
  });

  it("reads a TZ= prefix (across daylight saving time); UTC without one", async () => {
    clock = Date.parse("2030-01-15T09:00:10Z");
    const app = await cronApp("cron-tz", [
      { id: "new-york", triggers: [{ cron: "TZ=America/New_York 0 9 * * *" }] },
      { id: "utc", triggers: [{ cron: "0 9 * * *" }] },
    ]);
    const exec = await startCronExecutor({ appUrls: [app.url] });
    const [ny, utc] = ["cron-tz-new-york", "cron-tz-utc"];

    await exec.executor.cronTick();
    expect([await ticksOf(ny), await ticksOf(utc)]).toEqual([[], [tickId(utc, "2030-01-15T09:00:00Z")]]);
    clock = Date.parse("2030-01-15T14:00:10Z"); // 09:00 EST
    await exec.executor.cronTick();
    expect(await ticksOf(ny)).toEqual([tickId(ny, "2030-01-15T14:00:00Z")]);
    clock = Date.parse("2030-07-15T13:00:10Z"); // 09:00 EDT
    await exec.executor.cronTick();
    expect(await ticksOf(ny)).toEqual([tickId(ny, "2030-01-15T14:00:00Z"), tickId(ny, "2030-07-15T13:00:00Z")]);
    expect(await ticksOf(utc)).toHaveLength(1);

    const runs = await allCompleted(exec, ny);
    expect(runs[1]!.output).toMatchObject({ data: { cron: "TZ=America/New_York 0 9 * * *" }, ts: Date.parse("2030-07-15T13:00:00Z") });
  });

  it("logs an invalid expression at sync and ignores it; the app's other crons still fire", async () => {
    const lines: { msg: string; extra?: Record<string, unknown> }[] = [];
    const logger = { info: () => {}, warn: (msg: string, extra?: Record<string, unknown>) => lines.push({ msg, extra }), error: () => {} };
    clock = Date.parse("2030-04-01T00:00:30Z");
    const app = await cronApp("cron-invalid", [
      { id: "out-of-range", triggers: [{ cron: "61 * * * *" }] },
      { id: "unknown-zone", triggers: [{ cron: "TZ=Mars/Olympus * * * * *" }] },
      { id: "with-seconds", triggers: [{ cron: "*/5 * * * * *" }] },
      { id: "valid", triggers: [{ cron: "* * * * *" }] },
    ]);
    const exec = await startCronExecutor({ appUrls: [app.url], logger });

    const warned = lines.filter((l) => l.msg === "invalid cron trigger ignored").map((l) => [l.extra?.functionId, l.extra?.cron]);
    expect(warned).toEqual([
      ["cron-invalid-out-of-range", "61 * * * *"],
      ["cron-invalid-unknown-zone", "TZ=Mars/Olympus * * * * *"],
      ["cron-invalid-with-seconds", "*/5 * * * * *"],
    ]);
    expect(exec.executor.functions().filter((f) => f.id.startsWith("cron-invalid-"))).toHaveLength(4);
    await exec.executor.cronTick();
    const runs = await db.inngestRun.findMany({ where: { appId: "cron-invalid" } });
    expect(runs.map((r) => r.functionId)).toEqual(["cron-invalid-valid"]);
    await allCompleted(exec, "cron-invalid-valid");
  });

  it("stops a removed or changed cron at its next tick after a re-sync, on every executor", async () => {
    clock = Date.parse("2030-05-01T00:00:30Z");
    const v1 = await cronApp("cron-resync", [
      { id: "dropped", triggers: [{ cron: "* * * * *" }] },
      { id: "changed", triggers: [{ cron: "* * * * *" }] },
    ]);
    const a = await startCronExecutor({ appUrls: [v1.url] });
    const b = await startCronExecutor(); // keeps v1's configs in memory: the fire-time check must stop it
    const [dropped, changed] = ["cron-resync-dropped", "cron-resync-changed"];
    const checkBoth = () => Promise.all([a.executor.cronTick(), b.executor.cronTick()]);
    await checkBoth();
    expect([await ticksOf(dropped), await ticksOf(changed)]).toEqual([
      [tickId(dropped, "2030-05-01T00:00:00Z")],
      [tickId(changed, "2030-05-01T00:00:00Z")],
    ]);

    const v2 = await cronApp("cron-resync", [
      { id: "dropped", triggers: [{ event: "t/cron-dropped" }] },
      { id: "changed", triggers: [{ cron: "*/5 * * * *" }] },
    ]);
    await a.executor.sync(v2.url);
    clock = Date.parse("2030-05-01T00:01:30Z");
    await checkBoth();
    clock = Date.parse("2030-05-01T00:05:30Z");
    await checkBoth();
    expect(await ticksOf(dropped)).toEqual([tickId(dropped, "2030-05-01T00:00:00Z")]);
    expect(await ticksOf(changed)).toEqual([tickId(changed, "2030-05-01T00:00:00Z"), tickId(changed, "2030-05-01T00:05:00Z")]);
    const runs = await allCompleted(a, changed);
    expect(runs[1]!.output).toMatchObject({ data: { cron: "*/5 * * * *" } });
  });

  it("applies flow control to cron runs as to event runs (idempotency on event.data.cron)", async () => {
    clock = Date.parse("2030-06-01T00:00:30Z");
    const app = await cronApp("cron-flow", [{ id: "once", triggers: [{ cron: "* * * * *" }], idempotency: "event.data.cron" }]);
    const exec = await startCronExecutor({ appUrls: [app.url] });
    const fn = "cron-flow-once";
    for (const minute of [0, 1, 2]) {
      clock = Date.parse(`2030-06-01T00:0${minute}:30Z`);
      await exec.executor.cronTick();
    }
    const ticks = ["00:00", "00:01", "00:02"].map((t) => tickId(fn, `2030-06-01T${t}:00Z`));
    expect(await db.inngestEvent.count({ where: { id: { in: ticks } } })).toBe(3);
    expect(await ticksOf(fn)).toEqual([ticks[0]]);
    await allCompleted(exec, fn);
  });
});
