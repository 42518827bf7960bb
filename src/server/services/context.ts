import type { TRole } from "~/lib/roles";

/** Who is asking, from where: carried into audit events. */
export type RequestMeta = { ip?: string | null; userAgent?: string | null };

/** A signed-in user, outside any tenant. */
export type UserCtx = { userId: string; isPlatformAdmin: boolean; meta: RequestMeta };

/** A member acting inside one tenant; every tenant query filters by tenantId. */
export type TenantCtx = UserCtx & {
  tenantId: string;
  tenantSlug: string;
  role: TRole;
  /** The workspace is scheduled for deletion (issue 16): reads only, except the writes that keep it manageable (cancel, export). */
  readOnly?: boolean;
};
