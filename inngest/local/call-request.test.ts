/** Unit tests for the call request and Retry-After handling (no database, no network). */
import { describe, expect, it } from "vitest";
import { buildCallRequest, retryDelay } from "./call-request";
import { canonicalJson, signBody } from "./signature";

const fn = { appId: "app", url: "http://app.local/api/inngest?x=1", config: { id: "app-fn", triggers: [], steps: {} } };
const run = {
  id: "run1",
  functionId: "app-fn",
  event: { name: "t/e", data: {} },
  events: [{ name: "t/e", data: {} }],
  maxAttempts: 4,
  disableImmediate: false,
};

describe("buildCallRequest", () => {
  it("sends memoized steps in completion order as ctx.stack, with fnId and stepId in the query", () => {
    const req = buildCallRequest(
      fn,
      run,
      { stepId: "step", attempt: 1 },
      [
        { stepId: "a", data: "A", error: null },
        { stepId: "b", data: null, error: { name: "Error", message: "no" } },
      ],
      undefined,
    );
    expect(req.url.searchParams.get("fnId")).toBe("app-fn");
    expect(req.url.searchParams.get("stepId")).toBe("step");
    expect(req.url.searchParams.get("x")).toBe("1");
    const body = JSON.parse(req.body) as { steps: unknown; ctx: Record<string, unknown>; version: number };
    expect(body.steps).toEqual({ a: { data: "A" }, b: { error: { name: "Error", message: "no" } } });
    expect(body.ctx).toMatchObject({ run_id: "run1", attempt: 1, max_attempts: 4, use_api: false, stack: { stack: ["a", "b"], current: 1 } });
    expect(body.version).toBe(2);
    expect(req.body).toBe(canonicalJson(body));
    expect(req.headers["x-inngest-server-kind"]).toBe("dev");
    expect(req.headers["x-inngest-signature"]).toBeUndefined();
  });

  it("signs the canonical body in cloud mode", () => {
    const req = buildCallRequest(fn, run, { stepId: "step", attempt: 0 }, [], "signkey-test-abcd");
    expect(req.headers["x-inngest-server-kind"]).toBe("cloud");
    // the signature carries its own timestamp; recompute with it
    const t = Number(/t=(\d+)/.exec(req.headers["x-inngest-signature"]!)![1]);
    expect(req.headers["x-inngest-signature"]).toBe(signBody(req.body, "signkey-test-abcd", t * 1000));
  });
});

describe("retryDelay", () => {
  const backoff = (n: number) => n * 100;

  it("uses the backoff without Retry-After", () => {
    expect(retryDelay(new Headers(), 3, backoff)).toBe(300);
  });

  it("honours Retry-After in seconds and as a date", () => {
    expect(retryDelay(new Headers({ "retry-after": "2" }), 1, backoff)).toBe(2000);
    const at = new Date(Date.now() + 60_000).toUTCString();
    const ms = retryDelay(new Headers({ "retry-after": at }), 1, backoff);
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
    expect(retryDelay(new Headers({ "retry-after": "soon" }), 2, backoff)).toBe(200);
  });
});
