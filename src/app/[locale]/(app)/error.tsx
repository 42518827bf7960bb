"use client";

import { useTranslations } from "next-intl";
import { RouteError, type RouteErrorProps } from "~/components/layout/route-error";

// Errors on signed-in pages (account, workspaces): shown inside the app shell.
export default function AppError(props: RouteErrorProps) {
  const t = useTranslations("notFound");
  return <RouteError {...props} back={{ href: "/workspaces", label: t("backToWorkspaces") }} />;
}
