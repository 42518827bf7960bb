import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { LLM_ERROR_REASONS, LlmError } from "../llm/gateway-errors";
import { FAILURE_REASONS, failureReasonOr, isPermanent, reasonOf } from "./failures";

describe("isPermanent", () => {
  // The whole table: a change here is a change in what the jobs retry.
  it.each([
    ["providerRateLimited", false],
    ["providerUnavailable", false],
    ["providerAuthFailed", true],
    ["providerRejected", false],
    ["providerTimeout", false],
    ["streamInterrupted", false],
    ["cancelled", false],
    ["providerError", false],
    ["providerAddressBlocked", true],
    ["personaDisabled", true],
    ["personaModelMissing", true],
    ["credentialUnusable", true],
    ["notFound", true],
    ["tenantSuspended", true],
    ["tokenBudgetExhausted", true],
  ] as const)("%s → %s", (reason, permanent) => {
    expect(isPermanent(reason)).toBe(permanent);
  });

  it("covers every shared reason, the gateway's included", () => {
    expect(FAILURE_REASONS).toEqual(expect.arrayContaining([...LLM_ERROR_REASONS]));
    expect(FAILURE_REASONS).toHaveLength(LLM_ERROR_REASONS.length + 6);
  });

  it("retries what it does not know: catch-alls and unexpected reasons", () => {
    for (const r of ["taskFailed", "meetingFailed", "jobsUnavailable", "internalError", ""]) expect(isPermanent(r)).toBe(false);
  });
});

describe("reasonOf", () => {
  it("reads an AppError's (and so an LlmError's) reason", () => {
    expect(reasonOf(new AppError("PRECONDITION_FAILED", "personaDisabled", "disabled"))).toBe("personaDisabled");
    expect(reasonOf(new LlmError("providerAuthFailed", "401"))).toBe("providerAuthFailed");
  });

  it("reads a step error's reason property; anything else has none", () => {
    expect(reasonOf(Object.assign(new Error("taskFailed"), { reason: "taskFailed" }))).toBe("taskFailed");
    expect(reasonOf(new Error("boom"))).toBeNull();
    expect(reasonOf({ reason: "notFound" })).toBeNull();
    expect(reasonOf(null)).toBeNull();
  });
});

describe("failureReasonOr", () => {
  it("keeps a known reason read back from a job's error message, else the caller's catch-all", () => {
    expect(failureReasonOr("providerRejected", "meetingFailed")).toBe("providerRejected");
    expect(failureReasonOr("Something broke", "meetingFailed")).toBe("meetingFailed");
    expect(failureReasonOr(undefined, "taskFailed")).toBe("taskFailed");
  });
});
