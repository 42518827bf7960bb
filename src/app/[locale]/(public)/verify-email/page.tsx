import { MailCheck, MailX } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { buttonVariants } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";
import { requestMetaFrom } from "~/server/auth/request-meta";
import { verifyEmail } from "~/server/services/verification/email-verification";
import { routeLocale } from "~/i18n/route-locale";

// Opening the link consumes it (single use), so this page is never cached or prerendered.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "auth.verifyEmail" });
  return { title: t("metaTitle") };
};

/** The link of the sign-up mail: confirms the address, after which the password works. */
export default async function VerifyEmailPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const t = await getTranslations("auth.verifyEmail");
  const token = (await searchParams).token;
  const result = typeof token === "string" ? await verifyEmail(token, requestMetaFrom(await headers())) : ({ status: "invalid" } as const);
  const ok = result.status === "verified";
  const Icon = ok ? MailCheck : MailX;
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-4">
      <Icon aria-hidden="true" className="size-10 text-accent" />
      <h1 className="text-3xl font-bold tracking-tight">{t(ok ? "verifiedTitle" : result.status === "expired" ? "expiredTitle" : "invalidTitle")}</h1>
      <p className="text-muted-fg">{ok ? t("verifiedBody", { email: result.email }) : t(result.status === "expired" ? "expiredBody" : "invalidBody")}</p>
      <Link href="/sign-in" className={buttonVariants({ className: "self-start" })}>
        {t("signIn")}
      </Link>
    </div>
  );
}
