import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { routeLocale } from "~/i18n/route-locale";

// Its own title (WCAG 2.4.2): under the admin section's streamed loading skeleton the not-found
// body's <title> did not win over the layout's default, and the tab read just "OC Suite" (measured).
export const generateMetadata = async ({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> => {
  const { locale } = await params;
  const t = await getTranslations({ locale: routeLocale(locale), namespace: "notFound" });
  return { title: t("metaTitle") };
};

// An unknown path in the admin panel: the admin not-found, under the admin navigation.
export default function AdminCatchAll() {
  notFound();
}
