/** Unit tests for the CEL subset (no database). */
import { describe, expect, it } from "vitest";
import { evaluate, evaluateKey, matches } from "./expression";

const vars = { event: { data: { n: 3, tenantId: "t1", tags: ["a"] } }, async: { data: { tenantId: "t1" } } };

describe("expression", () => {
  it("compares with every operator", () => {
    expect(evaluate("event.data.n == 3", vars)).toBe(true);
    expect(evaluate("event.data.n != 3", vars)).toBe(false);
    expect(evaluate("event.data.n < 4 && event.data.n <= 3", vars)).toBe(true);
    expect(evaluate("event.data.n > 3 || event.data.n >= 3", vars)).toBe(true);
    expect(evaluate("!(event.data.n == 3)", vars)).toBe(false);
  });

  it("matches a waitForEvent expression across the two events", () => {
    expect(matches("event.data.tenantId == async.data.tenantId", vars)).toBe(true);
    expect(matches("event.data.tenantId == 'other'", vars)).toBe(false);
    expect(matches(undefined, vars)).toBe(true);
    expect(matches("event.data.n ==", vars)).toBe(false);
  });

  it("evaluates keys to strings, null when missing", () => {
    expect(evaluateKey("event.data.tenantId", vars)).toBe("t1");
    expect(evaluateKey("event.data.tags", vars)).toBe('["a"]');
    expect(evaluateKey("event.data.missing", vars)).toBeNull();
  });
});
