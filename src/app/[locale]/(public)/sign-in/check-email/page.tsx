import { MailCheck } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { buttonVariants } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";
import { devMailboxEnabled } from "~/server/infra/mail";
import { routeLocale } from "~/i18n/route-locale";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "auth.checkEmail" });
  return { title: t("metaTitle") };
};

export default async function CheckEmailPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const t = await getTranslations("auth.checkEmail");
  const devMailbox = devMailboxEnabled();
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-4">
      <MailCheck aria-hidden="true" className="size-10 text-accent" />
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="text-muted-fg">{t("body")}</p>
      {devMailbox ? (
        <div className="flex flex-col gap-2 rounded-lg border border-border bg-surface p-4">
          <p className="text-sm text-muted-fg">{t("devMailboxHint")}</p>
          <Link href="/dev/mailbox" className={buttonVariants({ variant: "secondary", className: "self-start" })}>
            {t("devMailbox")}
          </Link>
        </div>
      ) : null}
      <Link href="/sign-in" className="text-sm font-medium text-accent underline hover:text-accent-hover">
        {t("back")}
      </Link>
    </div>
  );
}
