"use client";

import { useTranslations } from "next-intl";
import { useParams } from "next/navigation";
import { RouteError, type RouteErrorProps } from "~/components/layout/route-error";

// Errors on a chat page: shown beside the conversation list, which keeps working.
export default function ChatError(props: RouteErrorProps) {
  const t = useTranslations("chat");
  const { tenantSlug } = useParams<{ tenantSlug: string }>();
  return <RouteError {...props} back={{ href: `/t/${tenantSlug}/chat`, label: t("newChat") }} />;
}
