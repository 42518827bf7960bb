import { guardedStep } from "./tenant-guard";
import { taskCancelRequested, taskRunRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { openStepValue, sealStepValue } from "~/server/db/keys/content-keys";
import { countStaleRun, markTaskFailed, runDraftStep, runPlanStep, runResearchStep, runReviewStep } from "~/server/services/tasks/run";
import type { TaskRunTarget } from "~/server/services/tasks/run-step";

/** Per-tenant throttle on run starts: a burst of 10, then one every 3 s (20 a minute). */
export const TASK_THROTTLE = { key: "event.data.tenantId", limit: 20, period: "1m", burst: 10 } as const;

/**
 * One revision of a task, as four steps (each its own Inngest step and its own
 * TaskStep row; see services/tasks/run.ts and run-step.ts):
 *   plan      the persona's short numbered plan;
 *   research  the tenant's knowledge passages for the task and plan;
 *   draft     the Markdown deliverable citing the passages as [n];
 *   review    the persona's self-review → the final deliverable, needs_review.
 * Step values (plan text, passages, draft) are memoized by Inngest, so a retry
 * of a later step never re-plans or re-searches. They are workspace content, so
 * each is sealed under the workspace's content key before Inngest stores it
 * (ADR 0015): the step state (Inngest Cloud's, or the local executor's table)
 * holds ciphertext only.
 *
 * An event whose revision is not the task's, or whose task was cancelled,
 * accepted or failed since, does nothing ("stale"). A step failure is retried
 * (2 retries) unless retrying cannot help (bad credential, disabled persona:
 * isPermanent in services/assist/failures.ts, a NonRetriableError); onFailure
 * then marks the task failed with the reason, keeping the completed steps.
 *
 * Fair share: one run at a time per tenant (listed first: the local executor's
 * fair share works on the first key) and 4 overall, plus a per-tenant throttle
 * on run starts, so one tenant's burst of tasks cannot starve the others.
 * Cancel: `task/cancel.requested` for the task cancels the run; the step in
 * flight also notices (it polls the task) and stops its model call.
 */
export const runTask = inngest.createFunction(
  {
    id: "tasks-run-task",
    name: "Run task",
    triggers: [taskRunRequested],
    retries: 2,
    concurrency: [{ key: "event.data.tenantId", limit: 1 }, { limit: 4 }],
    throttle: TASK_THROTTLE,
    cancelOn: [{ event: taskCancelRequested, match: "data.taskId" }],
    onFailure: async ({ event, error, step }) => {
      const { tenantId, taskId, revision } = event.data.event.data;
      await step.run("mark-failed", () => markTaskFailed({ tenantId, taskId, revision }, error.message));
    },
  },
  async ({ event, step }) => {
    const target: TaskRunTarget = { tenantId: event.data.tenantId, taskId: event.data.taskId, revision: event.data.revision };
    // A step error carries its reason as the message; permanent ones are not retried.
    const sealed = async <T>(id: string, fn: () => Promise<T>): Promise<T> =>
      openStepValue<T>(target.tenantId, await step.run(id, async () => sealStepValue(target.tenantId, await guardedStep(target.tenantId, fn))));

    const plan = await sealed("plan", () => runPlanStep(target));
    if (plan.status === "stale") return stale(target, "plan");
    const research = await sealed("research", () => runResearchStep(target, plan.value.plan));
    if (research.status === "stale") return stale(target, "research");
    const draft = await sealed("draft", () => runDraftStep(target, plan.value.plan, research.value.passages));
    if (draft.status === "stale") return stale(target, "draft");
    const review = await sealed("review", () => runReviewStep(target, draft.value.draft, research.value.passages));
    if (review.status === "stale") return stale(target, "review");
    return { status: "needs_review" as const, revision: target.revision, chars: review.value.chars, passages: research.value.passages.length };
  },
);

const stale = (target: TaskRunTarget, step: "plan" | "research" | "draft" | "review") => {
  countStaleRun(target, step);
  return { status: "stale" as const, step };
};
