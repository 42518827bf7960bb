/** Live pages (meetings, tasks) poll this often while the background job works (turns take a second or two on the offline model). */
export const LIVE_POLL_MS = 1_500;
