import { ArrowLeft, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { EndSessionButton } from "~/features/support/end-session-button";
import { SupportReadView, SUPPORT_VIEWS, type TSupportView } from "~/features/support/read-view";
import { TimeLeft } from "~/features/support/time-left";
import { Link } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; sessionId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "support" });
  return { title: t("readMetaTitle") };
};

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The session, or why there is none to show. */
const loadSession = (id: string) =>
  loadForPlatformAdmin(async () => ({ session: await api.support.get({ id }) }), { missing: "notFound" });

export default async function SupportReadPage({ params, searchParams }: Props) {
  const { locale: segment, sessionId } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, `/admin/support/${sessionId}`);
  if (!SESSION_ID.test(sessionId)) notFound();
  const query = await searchParams;
  const view: TSupportView = SUPPORT_VIEWS.find((v) => v === query.view) ?? "conversations";
  const conversationId = typeof query.conversation === "string" && SESSION_ID.test(query.conversation) ? query.conversation : undefined;
  const t = await getTranslations("support");
  const ta = await getTranslations("admin");
  const format = await getFormatter();
  const loaded = await loadSession(sessionId);

  if (!loaded.allowed) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <ShieldAlert aria-hidden="true" className="size-10 text-danger" />
        <h1 className="text-3xl font-bold tracking-tight">{ta("notAllowedTitle")}</h1>
        <p className="text-muted-fg">{ta("notAllowedBody")}</p>
      </div>
    );
  }
  const s = loaded.session;
  const base = `/admin/support/${s.id}`;

  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-col gap-4">
        <Link href="/admin/support" className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToSupport")}
        </Link>
        <PageHeader title={t("readTitle", { name: s.tenantName })} />
      </div>

      <div role="note" aria-labelledby="support-banner-title" className="flex flex-col gap-2 rounded-md border-2 border-danger bg-danger-soft px-4 py-3 text-danger">
        <p id="support-banner-title" className="flex items-center gap-2 font-semibold">
          <ShieldAlert aria-hidden="true" className="size-5" />
          {t("banner")}
        </p>
        <p className="text-sm">{t("bannerDetail", { name: s.tenantName })}</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">{t("reason")}</dt>
          <dd className="break-words">{s.reason}</dd>
          <dt className="font-medium">{t("ends")}</dt>
          <dd>
            <time dateTime={s.expiresAt.toISOString()}>{format.dateTime(s.expiresAt, "long")}</time>
            {s.status === "active" ? (
              <>
                {" · "}
                <TimeLeft expiresAt={s.expiresAt} serverNow={s.now} />
              </>
            ) : null}
          </dd>
        </dl>
        {s.status === "active" ? (
          <div className="self-start">
            <EndSessionButton id={s.id} tenantName={s.tenantName} />
          </div>
        ) : null}
      </div>

      {s.status !== "active" ? (
        <Alert variant="info">
          {t(s.status === "ended" ? "sessionEnded" : "sessionExpired")}{" "}
          <Link href="/admin/support" className="font-medium text-accent underline">
            {t("openAnother")}
          </Link>
        </Alert>
      ) : (
        <>
          <nav aria-label={t("viewsNav")} className="border-b border-border">
            <ul className="-mb-px flex gap-1 overflow-x-auto">
              {SUPPORT_VIEWS.map((v) => (
                <li key={v}>
                  <Link
                    href={`${base}?view=${v}`}
                    aria-current={v === view ? "page" : undefined}
                    className={cn(
                      "inline-flex h-10 items-center border-b-2 px-3 text-sm font-medium",
                      v === view ? "border-accent text-accent" : "border-transparent text-muted-fg hover:border-border-strong hover:text-fg",
                    )}
                  >
                    {t(`views.${v}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <SupportReadView tenantId={s.tenantId} view={view} conversationId={conversationId} basePath={base} />
        </>
      )}
    </div>
  );
}
