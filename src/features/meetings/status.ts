/** Meeting and task statuses as the contract defines them, with the badge colour each one gets. */
export const MEETING_STATUS_VARIANTS = { queued: "neutral", running: "accent", completed: "success", failed: "danger", cancelled: "warning" } as const;
export type MeetingStatus = keyof typeof MEETING_STATUS_VARIANTS;

/** Still moving: the page polls while a meeting is queued or running. */
export const isMeetingActive = (status: string) => status === "queued" || status === "running";

/** Live pages poll this often while the background job works (turns take a second or two on the offline model). */
export const LIVE_POLL_MS = 1_500;

/** Date-only values (due dates) are stored at UTC midnight: formatting them in UTC keeps the day the user picked. */
export const DATE_ONLY = { dateStyle: "medium", timeZone: "UTC" } as const;
