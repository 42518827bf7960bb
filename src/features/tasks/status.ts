/** Task statuses (contract) and their badge colours; a task is live while queued or running. */
export const TASK_STATUS_VARIANTS = { queued: "neutral", running: "accent", needs_review: "warning", done: "success", failed: "danger", cancelled: "neutral" } as const;
export type TaskStatus = keyof typeof TASK_STATUS_VARIANTS;
export const isTaskActive = (status: string) => status === "queued" || status === "running";

export const STEP_NAMES = ["plan", "research", "draft", "review"] as const;
export const STEP_STATUS_VARIANTS = { running: "accent", complete: "success", failed: "danger", cancelled: "neutral" } as const;

/** needs_review → needsReview: message keys are camelCase. */
export const statusKey = (status: string) => status.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
