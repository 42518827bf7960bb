import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { NewChat } from "~/features/chat/new-chat";
import { NotMemberNotice } from "~/features/chat/not-member-notice";
import { loadChatAccess, loadChatPersonas } from "~/features/chat/server";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }>; searchParams: Promise<{ persona?: string | string[] }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "chat" });
  return { title: t("metaTitle") };
};

export default async function ChatPage({ params, searchParams }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const access = await loadChatAccess(locale, tenantSlug, `/t/${tenantSlug}/chat`);
  if (access.kind === "suspended") return <SuspendedNotice />;
  if (access.kind === "notMember") return <NotMemberNotice />;
  const personas = await loadChatPersonas(tenantSlug);
  const { persona } = await searchParams;
  return <NewChat tenantSlug={tenantSlug} personas={personas} initialPersona={typeof persona === "string" ? persona : undefined} />;
}
