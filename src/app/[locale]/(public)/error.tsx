"use client";

import { useTranslations } from "next-intl";
import { RouteError, type RouteErrorProps } from "~/components/layout/route-error";

// Errors on public pages: shown under the public header.
export default function PublicError(props: RouteErrorProps) {
  const t = useTranslations("common");
  return <RouteError {...props} back={{ href: "/", label: t("backHome") }} />;
}
