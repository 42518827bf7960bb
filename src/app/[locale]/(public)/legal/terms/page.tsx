import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { LegalDocument, TERMS_SECTIONS } from "~/features/legal/legal-document";
import { routeLocale } from "~/i18n/route-locale";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "legal" });
  return { title: t("termsTitle") };
};

export default async function TermsPage({ params }: Props) {
  const { locale: segment } = await params;
  setRequestLocale(routeLocale(segment));
  return <LegalDocument doc="terms" sections={TERMS_SECTIONS} />;
}
