import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
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
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const t = await getTranslations("legal");
  return (
    <article className="max-w-3xl">
      <PageHeader title={t("termsTitle")} lead={t("lastUpdated")} />
      <p>{t("termsBody")}</p>
    </article>
  );
}
