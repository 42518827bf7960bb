import { getTranslations } from "next-intl/server";
import { PageFrame } from "~/components/layout/page-frame";
import { buttonVariants } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";
import { auth } from "~/server/auth";
import { PublicHeader } from "~/components/layout/public-header";

export default async function NotFound() {
  const t = await getTranslations("notFound");
  const tc = await getTranslations("common");
  const session = await auth();
  return (
    <PageFrame header={<PublicHeader signedIn={!!session} />} mainClassName="max-w-2xl">
      <title>{t("metaTitle")}</title>
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="mt-4 text-muted-fg">{t("body")}</p>
      <Link href="/" className={buttonVariants({ variant: "primary", className: "mt-6" })}>
        {tc("backHome")}
      </Link>
    </PageFrame>
  );
}
