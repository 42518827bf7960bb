import { setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { PageFrame } from "~/components/layout/page-frame";
import { PublicHeader } from "~/components/layout/public-header";
import { auth } from "~/server/auth";
import { routeLocale } from "~/i18n/route-locale";

// The header shows "Workspaces" to signed-in visitors, so these pages read the session.
export const dynamic = "force-dynamic";

export default async function PublicLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const session = await auth();
  return <PageFrame header={<PublicHeader signedIn={!!session} />}>{children}</PageFrame>;
}
