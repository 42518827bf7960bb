import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { LlmError } from "~/server/services/llm/gateway";
import { TaskRunError } from "~/server/services/tasks/run-step";
import { toStepError } from "./tenant-guard";

describe("toStepError", () => {
  it("a reason retrying cannot fix becomes a NonRetriableError carrying the reason", () => {
    for (const err of [new AppError("PRECONDITION_FAILED", "personaDisabled", "off"), new LlmError("providerAuthFailed", "401"), new TaskRunError("credentialUnusable")]) {
      const e = toStepError(err);
      expect(e).toBeInstanceOf(NonRetriableError);
      expect(e).toMatchObject({ message: (err as { reason: string }).reason, cause: err });
    }
  });

  it("any other reason becomes a retried Error whose message is the reason (onFailure reads it back)", () => {
    for (const err of [new LlmError("providerRejected", "400"), new TaskRunError("taskFailed"), new AppError("CONFLICT", "somethingElse", "x")]) {
      const e = toStepError(err);
      expect(e).not.toBeInstanceOf(NonRetriableError);
      expect(e).toMatchObject({ message: (err as { reason: string }).reason, cause: err });
    }
  });

  it("an error without a reason is passed on as it is", () => {
    const err = new Error("database down");
    expect(toStepError(err)).toBe(err);
  });
});
