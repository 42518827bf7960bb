import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card, CardContent } from "~/components/ui/card";
import { safeRelativePath } from "~/lib/safe-redirect";
import { SignUpForm } from "~/features/auth/sign-up-form";
import { Link } from "~/i18n/navigation";
import { routeLocale } from "~/i18n/route-locale";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "auth.signUp" });
  return { title: t("metaTitle") };
};

export default async function SignUpPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const query = await searchParams;
  const t = await getTranslations("auth.signUp");
  const callbackUrl = safeRelativePath(query.callbackUrl, `/${locale}/workspaces`);
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <Card>
        <CardContent className="pt-6">
          <SignUpForm />
        </CardContent>
      </Card>
      <p className="text-sm text-muted-fg">
        {t("haveAccount")}{" "}
        <Link href={{ pathname: "/sign-in", query: { callbackUrl } }} className="font-medium text-accent underline hover:text-accent-hover">
          {t("signInLink")}
        </Link>
      </p>
    </div>
  );
}
