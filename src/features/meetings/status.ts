/** Meeting statuses as the contract defines them, with the badge colour each one gets. */
export const MEETING_STATUS_VARIANTS = { queued: "neutral", running: "accent", completed: "success", failed: "danger", cancelled: "warning" } as const;
export type MeetingStatus = keyof typeof MEETING_STATUS_VARIANTS;

/** Still moving: the page polls while a meeting is queued or running. */
export const isMeetingActive = (status: string) => status === "queued" || status === "running";
