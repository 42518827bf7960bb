import { ArrowLeft, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { DeadLetterActions } from "~/features/admin-jobs/dead-letter-actions";
import { DeadLetterStatusBadge } from "~/features/admin-jobs/status-badge";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; id: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "adminJobs" });
  return { title: t("detailTitle") };
};

const load = (id: string) =>
  loadForPlatformAdmin(async () => ({ deadLetter: await api.admin.deadLetter({ id }) }), { missing: "notFound" });

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex flex-col gap-1 sm:flex-row sm:gap-4">
    <dt className="w-48 shrink-0 text-sm font-medium text-muted-fg">{label}</dt>
    <dd className="break-all text-sm">{children}</dd>
  </div>
);

export default async function DeadLetterPage({ params }: Props) {
  const { locale: segment, id } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, `/admin/jobs/${id}`);
  const t = await getTranslations("adminJobs");
  const ta = await getTranslations("admin");
  const format = await getFormatter();
  const data = await load(id);

  if (!data.allowed) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <ShieldAlert aria-hidden="true" className="size-10 text-danger" />
        <h1 className="text-3xl font-bold tracking-tight">{ta("notAllowedTitle")}</h1>
        <p className="text-muted-fg">{ta("notAllowedBody")}</p>
      </div>
    );
  }

  const d = data.deadLetter;
  const when = (x: Date | null) => (x ? <time dateTime={x.toISOString()}>{format.dateTime(x, "long")}</time> : "—");

  return (
    <div className="flex flex-col gap-10">
      <div className="flex flex-col gap-4">
        <Link href="/admin/jobs" className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToJobs")}
        </Link>
        <PageHeader title={t("detailTitle")} lead={<span className="font-mono text-sm">{d.functionId}</span>} />
      </div>

      <dl className="flex flex-col gap-3">
        <Row label={t("status")}>
          <DeadLetterStatusBadge status={d.status} />
        </Row>
        <Row label={t("created")}>{when(d.createdAt)}</Row>
        <Row label={t("function")}>
          <span className="font-mono">{d.functionId}</span>
        </Row>
        <Row label={t("tenant")}>
          <span className="font-mono">{d.tenantId ?? "—"}</span>
        </Row>
        <Row label={t("runId")}>
          <span className="font-mono">{d.runId}</span>
        </Row>
        <Row label={t("eventId")}>
          <span className="font-mono">{d.eventId}</span>
        </Row>
        <Row label={t("attempts")}>{d.attempts}</Row>
        {d.replayedAt ? (
          <>
            <Row label={t("replayedAt")}>{when(d.replayedAt)}</Row>
            <Row label={t("replayedBy")}>
              <span className="font-mono">{d.replayedBy ?? "—"}</span>
            </Row>
          </>
        ) : null}
        {d.discardedAt ? (
          <>
            <Row label={t("discardedAt")}>{when(d.discardedAt)}</Row>
            <Row label={t("discardedBy")}>
              <span className="font-mono">{d.discardedBy ?? "—"}</span>
            </Row>
            <Row label={t("discardReason")}>{d.discardReason ?? "—"}</Row>
          </>
        ) : null}
      </dl>

      <section className="flex flex-col gap-3" aria-labelledby="dead-letter-error-title">
        <h2 id="dead-letter-error-title" className="text-xl font-semibold">
          {t("errorTitle")}
        </h2>
        <p className="text-sm">
          <span className="font-semibold">{d.error.name}</span>: {d.error.message}
        </p>
        <h3 className="text-base font-semibold">{t("stack")}</h3>
        {d.error.stack ? (
          <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md border border-border bg-surface p-4 font-mono text-xs">
            {d.error.stack}
          </pre>
        ) : (
          <p className="text-sm text-muted-fg">{t("noStack")}</p>
        )}
      </section>

      <section className="flex flex-col gap-3" aria-labelledby="dead-letter-payload-title">
        <h2 id="dead-letter-payload-title" className="text-xl font-semibold">
          {t("payloadTitle")}
        </h2>
        <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md border border-border bg-surface p-4 font-mono text-xs">
          {JSON.stringify(d.event, null, 2)}
        </pre>
      </section>

      <section className="flex flex-col gap-3" aria-labelledby="dead-letter-actions-title">
        <h2 id="dead-letter-actions-title" className="text-xl font-semibold">
          {t("actionsTitle")}
        </h2>
        {d.status === "open" ? <DeadLetterActions id={d.id} /> : <Alert>{t("notOpen")}</Alert>}
      </section>
    </div>
  );
}
