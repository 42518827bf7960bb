/** Unit tests of the pure cron parts: parsing as Inngest reads cron triggers, due ticks, the tick's event. */
import { describe, expect, it } from "vitest";
import { CRON_EVENT_NAME, cronEvent, cronEventId, cronTriggersOf, dueTick, invalidCrons, parseCron, type CronSchedule } from "./cron-schedule";
import type { FunctionConfig } from "./types";

const at = (iso: string) => Date.parse(iso);
const parsed = (expression: string) => {
  const s = parseCron(expression);
  if ("error" in s) throw new Error(`unexpected parse error for ${expression}: ${s.error}`);
  return s;
};
const tickAt = (s: CronSchedule, iso: string) => {
  const t = dueTick(s, at(iso));
  return t === null ? null : new Date(t).toISOString();
};

describe("parseCron", () => {
  it("reads five fields in UTC by default", () => {
    expect(parseCron("*/5 9-17 * * 1-5")).toEqual({ expression: "*/5 9-17 * * 1-5", fields: "*/5 9-17 * * 1-5", tz: "UTC" });
  });

  it("reads a TZ= (or CRON_TZ=) prefix and keeps the expression as written", () => {
    expect(parseCron("TZ=America/New_York 0 9 * * MON")).toEqual({
      expression: "TZ=America/New_York 0 9 * * MON",
      fields: "0 9 * * MON",
      tz: "America/New_York",
    });
    expect(parseCron("CRON_TZ=Europe/Madrid 0 9 * * *")).toMatchObject({ fields: "0 9 * * *", tz: "Europe/Madrid" });
  });

  it("reads the @descriptors Inngest accepts", () => {
    expect(parseCron("@daily")).toMatchObject({ fields: "0 0 * * *", tz: "UTC" });
    expect(parseCron("TZ=Asia/Tokyo @hourly")).toMatchObject({ fields: "0 * * * *", tz: "Asia/Tokyo" });
  });

  it.each([
    ["61 * * * *", /61/],
    ["*/5 * * * * *", /expected 5 fields/],
    ["* * *", /expected 5 fields/],
    ["", /expected 5 fields/],
    ["not a cron at all", /.+/],
    ["TZ=Mars/Olympus * * * * *", /unknown time zone "Mars\/Olympus"/],
    ["0 0 30 2 *", /.+/],
    ["@every 5m", /expected 5 fields/],
  ])("refuses %j", (expression, message) => {
    const s = parseCron(expression);
    expect(s).toHaveProperty("error");
    expect((s as { error: string }).error).toMatch(message);
  });
});

describe("dueTick", () => {
  const everyMinute = parsed("* * * * *");
  const hourly = parsed("0 * * * *");

  it("is the tick at exactly now, or the latest one within the last minute", () => {
    expect(tickAt(everyMinute, "2030-01-01T00:01:00.000Z")).toBe("2030-01-01T00:01:00.000Z");
    expect(tickAt(everyMinute, "2030-01-01T00:01:59.999Z")).toBe("2030-01-01T00:01:00.000Z");
    expect(tickAt(hourly, "2030-01-01T05:00:59.999Z")).toBe("2030-01-01T05:00:00.000Z");
  });

  it("is null once the latest tick is a minute old (missed ticks are not backfilled)", () => {
    expect(tickAt(hourly, "2030-01-01T05:01:00.000Z")).toBeNull();
    expect(tickAt(hourly, "2030-01-01T05:59:59.999Z")).toBeNull();
  });

  it("follows the prefix's time zone across daylight saving time", () => {
    const nine = parsed("TZ=America/New_York 0 9 * * *");
    expect(tickAt(nine, "2030-01-15T09:00:10Z")).toBeNull();
    expect(tickAt(nine, "2030-01-15T14:00:10Z")).toBe("2030-01-15T14:00:00.000Z"); // EST, UTC-5
    expect(tickAt(nine, "2030-07-15T13:00:10Z")).toBe("2030-07-15T13:00:00.000Z"); // EDT, UTC-4
    expect(tickAt(parsed("0 9 * * *"), "2030-01-15T09:00:10Z")).toBe("2030-01-15T09:00:00.000Z");
  });

  it("matches day-of-month OR day-of-week when both are restricted (standard cron)", () => {
    const firstOrMonday = parsed("0 0 1 * 1");
    expect(tickAt(firstOrMonday, "2030-01-01T00:00:05Z")).toBe("2030-01-01T00:00:00.000Z"); // Tuesday the 1st
    expect(tickAt(firstOrMonday, "2030-01-07T00:00:05Z")).toBe("2030-01-07T00:00:00.000Z"); // Monday the 7th
    expect(tickAt(firstOrMonday, "2030-01-08T00:00:05Z")).toBeNull();
  });
});

describe("cron triggers and events", () => {
  const config = (triggers: FunctionConfig["triggers"]) => ({ id: "app-fn", triggers, steps: {} }) as FunctionConfig;

  it("lists a config's cron triggers and the ones that cannot be parsed", () => {
    const cfg = config([{ event: "a/b" }, { cron: "* * * * *" }, { cron: "61 * * * *" }]);
    expect(cronTriggersOf(cfg)).toEqual(["* * * * *", "61 * * * *"]);
    expect(invalidCrons(cfg)).toEqual([{ cron: "61 * * * *", error: expect.stringMatching(/61/) }]);
  });

  it("derives one event id per function and tick, and Inngest's scheduled.timer event shape", () => {
    const tick = at("2030-01-01T00:05:00Z");
    expect(cronEventId("app-fn", tick)).toBe("cron:app-fn:2030-01-01T00:05:00Z");
    expect(cronEventId("app-other", tick)).not.toBe(cronEventId("app-fn", tick));
    expect(cronEvent("app-fn", "TZ=UTC */5 * * * *", tick)).toEqual({
      id: "cron:app-fn:2030-01-01T00:05:00Z",
      name: CRON_EVENT_NAME,
      data: { cron: "TZ=UTC */5 * * * *" },
      ts: tick,
    });
    expect(CRON_EVENT_NAME).toBe("inngest/scheduled.timer");
  });
});
