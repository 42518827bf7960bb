import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ChatView } from "~/features/chat/chat-view";
import { NotMemberNotice } from "~/features/chat/not-member-notice";
import { loadChatAccess, loadChatPersonas, loadConversation } from "~/features/chat/server";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string; conversationId: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "chat" });
  return { title: t("metaTitle") };
};

export default async function ConversationPage({ params }: Props) {
  const { locale: segment, tenantSlug, conversationId } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const access = await loadChatAccess(locale, tenantSlug, `/t/${tenantSlug}/chat/${conversationId}`);
  if (access.kind === "suspended") return <SuspendedNotice />;
  if (access.kind === "notMember") return <NotMemberNotice />;
  const [{ conversation, messages }, personas] = await Promise.all([loadConversation(tenantSlug, conversationId), loadChatPersonas(tenantSlug)]);
  const persona = personas.find((p) => p.key === conversation.personaKey);
  return (
    <ChatView
      key={conversation.id}
      tenantSlug={tenantSlug}
      persona={{ key: conversation.personaKey, name: conversation.personaName, offline: persona?.offline, model: persona?.model ?? null }}
      initial={{
        conversation: {
          id: conversation.id,
          title: conversation.title,
          personaKey: conversation.personaKey,
          personaName: conversation.personaName,
          inputTokens: conversation.inputTokens,
          outputTokens: conversation.outputTokens,
        },
        messages,
      }}
    />
  );
}
