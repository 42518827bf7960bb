import { List, MessageSquarePlus } from "lucide-react";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { buttonVariants } from "~/components/ui/button";
import { ConversationSidebar } from "~/features/chat/conversation-sidebar";
import { loadChatAccess, loadChatPersonas } from "~/features/chat/server";
import { Link } from "~/i18n/navigation";
import { ZTenantSlug } from "~/lib/slug";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

/**
 * Chat pages: the conversation list beside the page. The layout stays mounted
 * while moving between conversations, so the list keeps its search and filter.
 * Suspended workspaces and viewers get only the page (which explains why).
 */
export default async function ChatLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string; tenantSlug: string }> }) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  if (!ZTenantSlug.safeParse(tenantSlug).success) return children;
  const access = await loadChatAccess(locale, tenantSlug, `/t/${tenantSlug}/chat`);
  if (access.kind !== "ok") return children;
  const personas = await loadChatPersonas(tenantSlug);
  const t = await getTranslations({ locale, namespace: "chat" });
  return (
    <div className="grid gap-8 lg:grid-cols-[18rem_minmax(0,1fr)]">
      {/* Small screens show the list below the chat: these reach it (and a new chat) from the top. */}
      <div className="flex gap-3 lg:hidden">
        <Link href={`/t/${tenantSlug}/chat`} className={buttonVariants({ variant: "secondary", size: "sm" })}>
          <MessageSquarePlus aria-hidden="true" />
          {t("newChat")}
        </Link>
        <a href="#chat-conversations" className={buttonVariants({ variant: "ghost", size: "sm" })}>
          <List aria-hidden="true" />
          {t("conversations")}
        </a>
      </div>
      <div className="order-2 lg:order-1">
        <ConversationSidebar tenantSlug={tenantSlug} personas={personas.map((p) => ({ key: p.key, name: p.name }))} />
      </div>
      <div className="order-1 min-w-0 lg:order-2">{children}</div>
    </div>
  );
}
