"use client";

import { useTranslations } from "next-intl";
import { useParams } from "next/navigation";
import { RouteError, type RouteErrorProps } from "~/components/layout/route-error";

// Errors on a workspace's pages: shown under the workspace tabs, with a way back to its overview.
export default function WorkspaceError(props: RouteErrorProps) {
  const t = useTranslations("tenant");
  const { tenantSlug } = useParams<{ tenantSlug: string }>();
  return <RouteError {...props} back={{ href: `/t/${tenantSlug}`, label: t("overview") }} />;
}
