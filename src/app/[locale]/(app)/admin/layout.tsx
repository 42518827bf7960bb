import type { ReactNode } from "react";
import { AdminNav } from "~/features/admin/admin-nav";
import { auth } from "~/server/auth";

/**
 * Every admin page gets the section navigation — but only platform admins see
 * it: others get each page's "not allowed" notice and no map of the area.
 * (The pages themselves are still guarded by platformAdminProcedure.)
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  return (
    <>
      {session?.user.isPlatformAdmin ? <AdminNav /> : null}
      {children}
    </>
  );
}
