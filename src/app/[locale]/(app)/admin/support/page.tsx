import { ArrowLeft, ArrowRight, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { SearchForm } from "~/features/admin/search-form";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { EndSessionButton } from "~/features/support/end-session-button";
import { OpenSessionForm } from "~/features/support/open-session-form";
import { TimeLeft } from "~/features/support/time-left";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "support" });
  return { title: t("metaTitle") };
};

const param = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim().slice(0, 100) : "");

const load = (q: string) =>
  loadForPlatformAdmin(async () => {
    const [sessions, tenants] = await Promise.all([api.support.list({ take: 50 }), api.admin.tenants({ query: q || undefined, take: 100 })]);
    return { sessions, tenants };
  });

export default async function SupportAccessPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/support");
  const q = param((await searchParams).q);
  const t = await getTranslations("support");
  const ta = await getTranslations("admin");
  const format = await getFormatter();
  const data = await load(q);

  if (!data.allowed) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <ShieldAlert aria-hidden="true" className="size-10 text-danger" />
        <h1 className="text-3xl font-bold tracking-tight">{ta("notAllowedTitle")}</h1>
        <p className="text-muted-fg">{ta("notAllowedBody")}</p>
      </div>
    );
  }
  const active = data.sessions.items.filter((s) => s.status === "active");
  const past = data.sessions.items.filter((s) => s.status !== "active");

  return (
    <div className="flex flex-col gap-12">
      <div className="flex flex-col gap-4">
        <Link href="/admin" className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToAdmin")}
        </Link>
        <PageHeader title={t("title")} lead={t("lead")} />
      </div>

      <section className="flex flex-col gap-4" aria-labelledby="support-active-title">
        <h2 id="support-active-title" className="text-xl font-semibold">
          {t("activeTitle")}
        </h2>
        {active.length === 0 ? (
          <p className="text-muted-fg">{t("noActive")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("activeTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("workspace")}</Th>
                <Th>{t("reason")}</Th>
                <Th>{t("ends")}</Th>
                <Th>{t("timeLeftColumn")}</Th>
                <Th>{t("actions")}</Th>
              </tr>
            </THead>
            <tbody>
              {active.map((s) => (
                <tr key={s.id}>
                  <Td className="font-medium">
                    {s.tenantName} <span className="block font-mono text-xs text-muted-fg">{s.tenantSlug}</span>
                  </Td>
                  <Td className="max-w-md break-words">{s.reason}</Td>
                  <Td>
                    <time dateTime={s.expiresAt.toISOString()}>{format.dateTime(s.expiresAt, "long")}</time>
                  </Td>
                  <Td>
                    <TimeLeft expiresAt={s.expiresAt} serverNow={data.sessions.now} />
                  </Td>
                  <Td>
                    <div className="flex flex-wrap items-start gap-2">
                      <Link href={`/admin/support/${s.id}`} className="inline-flex h-8 items-center gap-1 text-sm font-medium text-accent underline hover:text-accent-hover">
                        {t("openReadView", { name: s.tenantName })}
                        <ArrowRight aria-hidden="true" className="size-4" />
                      </Link>
                      <EndSessionButton id={s.id} tenantName={s.tenantName} />
                    </div>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      <section className="flex flex-col gap-4" aria-labelledby="support-open-title">
        <h2 id="support-open-title" className="text-xl font-semibold">
          {t("openTitle")}
        </h2>
        <Alert variant="warning">{t("openWarning")}</Alert>
        <SearchForm id="support-tenant-q" name="q" label={t("tenantSearch")} value={q} keep={{}} />
        <OpenSessionForm tenants={data.tenants.map((x) => ({ id: x.id, name: x.name, slug: x.slug }))} />
      </section>

      <section className="flex flex-col gap-4" aria-labelledby="support-past-title">
        <h2 id="support-past-title" className="text-xl font-semibold">
          {t("pastTitle")}
        </h2>
        {past.length === 0 ? (
          <p className="text-muted-fg">{t("noPast")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("pastTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("workspace")}</Th>
                <Th>{t("reason")}</Th>
                <Th>{t("started")}</Th>
                <Th>{t("status")}</Th>
              </tr>
            </THead>
            <tbody>
              {past.map((s) => (
                <tr key={s.id}>
                  <Td className="font-medium">{s.tenantName}</Td>
                  <Td className="max-w-md break-words">{s.reason}</Td>
                  <Td>
                    <time dateTime={s.startedAt.toISOString()}>{format.dateTime(s.startedAt, "long")}</time>
                  </Td>
                  <Td>
                    <Badge variant={s.status === "ended" ? "neutral" : "warning"}>{t(`statuses.${s.status}`)}</Badge>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </div>
  );
}
