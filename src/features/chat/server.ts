import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { trpcCodeOf } from "~/features/errors/server";
import { loadTenant, type LoadedTenant } from "~/features/tenant/load-tenant";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";

export type ChatAccess = { kind: "suspended" } | { kind: "notMember"; tenant: LoadedTenant } | { kind: "ok"; tenant: LoadedTenant };

/** The workspace of a chat page and whether the user may chat there (MEMBER and up), once per request. */
export const loadChatAccess = cache(async (locale: string, tenantSlug: string, returnPath: string): Promise<ChatAccess> => {
  const loaded = await loadTenant(locale, tenantSlug, returnPath);
  if (loaded.suspended) return { kind: "suspended" };
  return hasRole(loaded.tenant.role, "MEMBER") ? { kind: "ok", tenant: loaded.tenant } : { kind: "notMember", tenant: loaded.tenant };
});

/** The workspace's enabled executives, once per request (layout and page both need them). */
export const loadChatPersonas = cache(async (tenantSlug: string) => (await api.chat.personas({ tenantSlug })).personas);

/** One of the user's conversations; unknown, deleted or someone else's → the not-found page. */
export const loadConversation = async (tenantSlug: string, id: string) => {
  try {
    return await api.chat.get({ tenantSlug, id });
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    throw err;
  }
};
