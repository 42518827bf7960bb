import { BriefcaseBusiness, FileSearch, ListChecks, Users } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Link } from "~/i18n/navigation";
import { auth } from "~/server/auth";
import { routeLocale } from "~/i18n/route-locale";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "landing" });
  return { title: { absolute: t("metaTitle") } };
};

const PERSONAS = ["ceo", "cfo", "cmo", "cto", "coo", "chro", "counsel"] as const;

export default async function LandingPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const t = await getTranslations("landing");
  const session = await auth();

  const features = [
    { key: "meetings", Icon: BriefcaseBusiness },
    { key: "tasks", Icon: ListChecks },
    { key: "knowledge", Icon: FileSearch },
  ] as const;

  return (
    <div className="flex flex-col gap-16">
      <section className="flex flex-col gap-6 py-8">
        <h1 id="hero-title" className="max-w-3xl text-4xl font-bold tracking-tight text-fg sm:text-5xl">
          {t("title")}
        </h1>
        <p className="max-w-2xl text-lg text-muted-fg">{t("lead")}</p>
        <div className="flex flex-wrap gap-3">
          {session ? (
            <Link href="/workspaces" className={buttonVariants({ size: "lg" })}>
              {t("openWorkspaces")}
            </Link>
          ) : (
            <>
              <Link href="/sign-up" className={buttonVariants({ size: "lg" })}>
                {t("getStarted")}
              </Link>
              <Link href="/sign-in" className={buttonVariants({ variant: "secondary", size: "lg" })}>
                {t("signIn")}
              </Link>
            </>
          )}
        </div>
      </section>

      <section className="flex flex-col gap-4">
        <h2 id="personas-title" className="flex items-center gap-2 text-2xl font-semibold">
          <Users aria-hidden="true" className="size-6 text-accent" />
          {t("personasTitle")}
        </h2>
        <p className="text-muted-fg">{t("personasLead")}</p>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {PERSONAS.map((p) => (
            <li key={p} className="rounded-lg border border-border bg-surface px-4 py-3 text-sm">
              {t(`personas.${p}`)}
            </li>
          ))}
        </ul>
      </section>

      <section className="flex flex-col gap-4">
        <h2 id="features-title" className="text-2xl font-semibold">
          {t("featuresTitle")}
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          {features.map(({ key, Icon }) => (
            <Card key={key}>
              <CardHeader>
                <Icon aria-hidden="true" className="size-6 text-accent" />
                <CardTitle id={`feature-${key}`} className="text-base">
                  {t(`features.${key}Title`)}
                </CardTitle>
              </CardHeader>
              <CardContent>
                <p className="text-sm text-muted-fg">{t(`features.${key}Body`)}</p>
              </CardContent>
            </Card>
          ))}
        </div>
      </section>
    </div>
  );
}
