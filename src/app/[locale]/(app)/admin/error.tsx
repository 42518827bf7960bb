"use client";

import { useTranslations } from "next-intl";
import { RouteError, type RouteErrorProps } from "~/components/layout/route-error";

// Errors on admin pages: shown under the admin navigation.
export default function AdminError(props: RouteErrorProps) {
  const t = useTranslations("notFound");
  return <RouteError {...props} back={{ href: "/admin", label: t("backToAdmin") }} />;
}
