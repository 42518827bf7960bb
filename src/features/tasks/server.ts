import "server-only";
import { loadOrNotFound } from "~/lib/server-pages/not-found";
import { api } from "~/trpc/server";

/** One task of the workspace; unknown or another workspace's → the not-found page. */
export const loadTask = (tenantSlug: string, id: string) => loadOrNotFound(() => api.task.get({ tenantSlug, id }));
