import type { ReactNode } from "react";
import { AdminNav } from "~/features/admin/admin-nav";
import { QueueBacklogBanner } from "~/features/admin/queue-backlog-banner";
import { auth } from "~/server/auth";

/**
 * Every admin page gets the section navigation — but only platform admins see
 * it: others get each page's "not allowed" notice and no map of the area.
 * (The pages themselves are still guarded by platformAdminProcedure.) Under
 * it, the job-queue backlog banner while a queue is over its alert thresholds.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  return (
    <>
      {session?.user.isPlatformAdmin ? <AdminNav /> : null}
      {session?.user.isPlatformAdmin ? <QueueBacklogBanner /> : null}
      {children}
    </>
  );
}
