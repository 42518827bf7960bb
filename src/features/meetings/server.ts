import "server-only";
import { notFound } from "next/navigation";
import { trpcCodeOf } from "~/features/errors/server";
import { api } from "~/trpc/server";

/** One meeting of the workspace; unknown or another workspace's → the not-found page. */
export const loadMeeting = async (tenantSlug: string, id: string) => {
  try {
    return await api.meeting.get({ tenantSlug, id });
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    throw err;
  }
};
