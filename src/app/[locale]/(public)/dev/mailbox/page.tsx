import type { Metadata } from "next";
import { headers } from "next/headers";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { PageHeader } from "~/components/layout/page-frame";
import { Card } from "~/components/ui/card";
import { isLoopbackAddress, peerAddressFrom } from "~/server/auth/request-meta";
import { devMailboxEnabled, listDevMail } from "~/server/infra/mail";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "devMailbox" });
  return { title: t("metaTitle") };
};

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** Plain text with every http(s) URL turned into a link. */
const Linkified = ({ text }: { text: string }) => (
  <>
    {text.split(URL_PATTERN).map((part, i) =>
      i % 2 === 1 ? (
        <a key={i} href={part} className="break-all text-accent underline hover:text-accent-hover">
          {part}
        </a>
      ) : (
        <Fragment key={i}>{part}</Fragment>
      ),
    )}
  </>
);

export default async function DevMailboxPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  // Every magic link is on this page: only for requests from this machine, judged
  // by the socket address (a header can be typed by anyone), whatever DEV_MAILBOX says.
  if (!devMailboxEnabled() || !isLoopbackAddress(peerAddressFrom(await headers()))) notFound();
  const t = await getTranslations("devMailbox");
  const format = await getFormatter();
  const mails = await listDevMail();
  return (
    <div className="max-w-4xl">
      <PageHeader title={t("title")} lead={t("lead")} />
      {mails.length === 0 ? (
        <p className="text-muted-fg">{t("empty")}</p>
      ) : (
        <ol className="flex flex-col gap-4">
          {mails.map((mail) => (
            <li key={mail.id}>
              <Card className="p-5">
                <h2 id={`mail-${mail.id}`} className="text-lg font-semibold">
                  {mail.subject}
                </h2>
                <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm text-muted-fg">
                  <div className="flex gap-1">
                    <dt>{t("to")}:</dt>
                    <dd className="text-fg">{mail.to}</dd>
                  </div>
                  <div className="flex gap-1">
                    <dt>{t("sentAt")}:</dt>
                    <dd className="text-fg">
                      <time dateTime={mail.createdAt.toISOString()}>{format.dateTime(mail.createdAt, "long")}</time>
                    </dd>
                  </div>
                </dl>
                <p className="mt-3 whitespace-pre-wrap break-words text-sm">
                  <Linkified text={mail.text} />
                </p>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
