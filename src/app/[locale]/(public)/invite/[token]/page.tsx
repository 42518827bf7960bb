import { MailOpen } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { buttonVariants } from "~/components/ui/button";
import { AcceptInvitationButton } from "~/features/invitations/accept-invitation-button";
import { trpcCodeOf } from "~/lib/server-pages/trpc-errors";
import { Link } from "~/i18n/navigation";
import { auth } from "~/server/auth";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; token: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "invite" });
  return { title: t("metaTitle"), referrer: "no-referrer" };
};

const loadPreview = async (token: string) => {
  try {
    return await api.invitation.preview({ token });
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    throw err;
  }
};

export default async function InvitePage({ params }: Props) {
  const { locale: segment, token } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const preview = await loadPreview(token);
  const session = await auth();
  const t = await getTranslations("invite");
  const tr = await getTranslations("roles");
  const ts = await getTranslations("status");
  const role = tr(preview.role);
  const callbackUrl = `/${locale}/invite/${token}`;
  const statusMessage = { ACCEPTED: t("accepted"), REVOKED: t("revoked"), EXPIRED: t("expired"), PENDING: null }[preview.status];

  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-5">
      <MailOpen aria-hidden="true" className="size-10 text-accent" />
      <h1 className="text-3xl font-bold tracking-tight">{t("title", { name: preview.tenantName })}</h1>
      <p className="text-muted-fg">{t("lead", { name: preview.tenantName, role })}</p>
      <p className="flex items-center gap-2 text-sm">
        <span className="font-medium">{t("status")}:</span>
        <Badge variant={preview.status === "PENDING" ? "accent" : "warning"}>{ts(preview.status)}</Badge>
      </p>
      {statusMessage ? (
        <Alert variant="warning">{statusMessage}</Alert>
      ) : session ? (
        <AcceptInvitationButton token={token} />
      ) : (
        <div className="flex flex-col gap-4">
          <p>{t("signInToAccept")}</p>
          {preview.emailBound ? <p className="text-sm text-muted-fg">{t("emailBound")}</p> : null}
          <div className="flex flex-wrap gap-3">
            <Link href={{ pathname: "/sign-in", query: { callbackUrl } }} className={buttonVariants()}>
              {t("signIn")}
            </Link>
            <Link href={{ pathname: "/sign-up", query: { callbackUrl } }} className={buttonVariants({ variant: "secondary" })}>
              {t("signUp")}
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
