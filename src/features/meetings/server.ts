import "server-only";
import { loadOrNotFound } from "~/lib/server-pages/not-found";
import { api } from "~/trpc/server";

/** One meeting of the workspace; unknown or another workspace's → the not-found page. */
export const loadMeeting = (tenantSlug: string, id: string) => loadOrNotFound(() => api.meeting.get({ tenantSlug, id }));
