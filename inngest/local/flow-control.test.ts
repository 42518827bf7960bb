/** Unit tests for the pure flow-control parts (no database): keys, concurrency counts, GCRA. */
import { describe, expect, it } from "vitest";
import { concurrencyKeys, createConcurrencyCounts, gcra, throttleKey } from "./flow-control";
import type { FunctionConfig, RegisteredFunction, StoredEvent } from "./types";

const fn = (config: Partial<FunctionConfig>): RegisteredFunction => ({
  appId: "app",
  url: "http://app/api/inngest",
  config: { id: "app-fn", triggers: [], steps: {}, ...config },
});
const event = (data: Record<string, unknown>): StoredEvent => ({ id: "e1", name: "t/e", ts: 0, data });

describe("concurrencyKeys", () => {
  it("scopes a numeric limit to the function", () => {
    expect(concurrencyKeys(fn({ concurrency: 2 }), event({}))).toEqual([{ key: "app-fn::", limit: 2 }]);
  });

  it("evaluates keys against the event and drops zero limits", () => {
    const keys = concurrencyKeys(
      fn({ concurrency: [{ limit: 1, key: "event.data.tenantId" }, { limit: 0 }, { limit: 5, scope: "env", key: "event.data.tenantId" }] }),
      event({ tenantId: "t1" }),
    );
    expect(keys).toEqual([
      { key: "app-fn:event.data.tenantId:t1", limit: 1 },
      { key: "env:event.data.tenantId:t1", limit: 5 },
    ]);
  });

  it("is empty without a concurrency config", () => {
    expect(concurrencyKeys(fn({}), event({}))).toEqual([]);
  });
});

describe("throttleKey", () => {
  it("is per function and key value, null without a throttle", () => {
    expect(throttleKey(fn({}), event({}))).toBeNull();
    expect(throttleKey(fn({ throttle: { limit: 1, period: "1s", key: "event.data.tenantId" } }), event({ tenantId: "a" }))).toBe("app-fn:a");
  });
});

describe("createConcurrencyCounts", () => {
  it("blocks keys at their limit and reports them as saturated", () => {
    const a = { key: "a", limit: 1 };
    const b = { key: "b", limit: 2 };
    const counts = createConcurrencyCounts([{ concurrency: [a] }, { concurrency: [b] }, { concurrency: null }]);
    expect(counts.saturated()).toEqual(["a"]);
    expect(counts.blocks([a])).toBe(true);
    expect(counts.blocks([b])).toBe(false);
    counts.bump([b]);
    expect(counts.blocks([b])).toBe(true);
    // saturation is only known for keys seen among executing calls (their limit comes from there)
    expect(counts.saturated()).toEqual(["a", "b"]);
  });
});

describe("gcra", () => {
  const throttle = { limit: 2, period: "1s" };

  it("allows a new key now and books the next slot one emission interval later", () => {
    expect(gcra(throttle, null, 1_000)).toEqual({ allowed: true, nextTat: 1_500 });
  });

  it("refuses a start before the stored arrival time and says when it may", () => {
    expect(gcra(throttle, 1_500, 1_200)).toEqual({ allowed: false, allowedAt: 1_500 });
    expect(gcra(throttle, 1_500, 1_500)).toEqual({ allowed: true, nextTat: 2_000 });
  });

  it("lets `burst` starts through back to back", () => {
    const burst = { ...throttle, burst: 2 };
    expect(gcra(burst, 1_500, 1_000)).toEqual({ allowed: true, nextTat: 2_000 });
    expect(gcra(burst, 2_000, 1_000)).toEqual({ allowed: false, allowedAt: 1_500 });
  });
});
