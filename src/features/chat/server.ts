import "server-only";
import type { Locale } from "next-intl";
import { cache } from "react";
import { hasRole } from "~/lib/roles";
import { loadTenant, type LoadedTenant } from "~/lib/server-pages/load-tenant";
import { loadOrNotFound } from "~/lib/server-pages/not-found";
import { api } from "~/trpc/server";

export type ChatAccess = { kind: "suspended" } | { kind: "notMember"; tenant: LoadedTenant } | { kind: "ok"; tenant: LoadedTenant };

/** The workspace of a chat page and whether the user may chat there (MEMBER and up), once per request. */
export const loadChatAccess = cache(async (locale: Locale, tenantSlug: string, returnPath: string): Promise<ChatAccess> => {
  const loaded = await loadTenant(locale, tenantSlug, returnPath);
  if (loaded.suspended) return { kind: "suspended" };
  return hasRole(loaded.tenant.role, "MEMBER") ? { kind: "ok", tenant: loaded.tenant } : { kind: "notMember", tenant: loaded.tenant };
});

/** The workspace's enabled executives, once per request (layout and page both need them). */
export const loadChatPersonas = cache(async (tenantSlug: string) => (await api.chat.personas({ tenantSlug })).personas);

/** One of the user's conversations; unknown, deleted or someone else's → the not-found page. */
export const loadConversation = (tenantSlug: string, id: string) => loadOrNotFound(() => api.chat.get({ tenantSlug, id }));
