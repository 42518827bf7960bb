import { Download } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button, buttonVariants } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { EventDetails } from "~/features/audit/event-details";
import { ExportLink } from "~/features/audit/export-link";
import { VerifyButton } from "~/features/audit/verify-button";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "audit" });
  return { title: t("metaTitle") };
};

const ACTOR_TYPES = ["USER", "PLATFORM_ADMIN", "SYSTEM"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (v: string | string[] | undefined, max: number) => (typeof v === "string" ? v.trim().slice(0, max) : "");
/** A yyyy-mm-dd from the date inputs as the start (or end) of that day, UTC — the zone the page shows times in. */
const dayBound = (v: string, end: boolean) => (DAY.test(v) && !Number.isNaN(Date.parse(v)) ? new Date(`${v}T${end ? "23:59:59.999" : "00:00:00.000"}Z`) : undefined);

export default async function AuditPage({ params, searchParams }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/audit`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("audit");
  const format = await getFormatter();

  if (!hasRole(tenant.role, "ADMIN")) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title={t("title")} lead={t("lead")} />
        <Alert variant="info">{t("adminsOnly")}</Alert>
      </div>
    );
  }

  const q = await searchParams;
  const filters = {
    action: text(q.action, 100),
    actor: text(q.actor, 200),
    actorType: (ACTOR_TYPES.find((a) => a === q.actorType) ?? "") as (typeof ACTOR_TYPES)[number] | "",
    from: text(q.from, 10),
    to: text(q.to, 10),
  };
  const cursorRaw = Number(text(q.cursor, 12));
  const cursor = Number.isInteger(cursorRaw) && cursorRaw > 0 ? cursorRaw : undefined;
  const list = await api.audit.list({
    tenantSlug,
    action: filters.action || undefined,
    actor: filters.actor || undefined,
    actorType: filters.actorType || undefined,
    from: dayBound(filters.from, false),
    to: dayBound(filters.to, true),
    cursor,
    take: 50,
  });

  // The export takes the same filters, as instants.
  const exportQuery = (fmt: "csv" | "json") => {
    const p = new URLSearchParams({ format: fmt });
    if (filters.action) p.set("action", filters.action);
    if (filters.actor) p.set("actor", filters.actor);
    if (filters.actorType) p.set("actorType", filters.actorType);
    const from = dayBound(filters.from, false);
    const to = dayBound(filters.to, true);
    if (from) p.set("from", from.toISOString());
    if (to) p.set("to", to.toISOString());
    return `/api/t/${tenantSlug}/audit/export?${p.toString()}`;
  };
  const pageQuery = (next: number | null) => {
    const p = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
    if (next) p.set("cursor", String(next));
    const s = p.toString();
    return `/t/${tenantSlug}/audit${s ? `?${s}` : ""}`;
  };

  const actorOf = (e: (typeof list.items)[number]) => {
    const who = e.actorName ?? e.actorEmail ?? t("unknownActor");
    if (e.actorType === "PLATFORM_ADMIN") return t("supportActor", { admin: who });
    if (e.actorType === "SYSTEM") return t("systemActor");
    return e.actorEmail ?? t("unknownActor");
  };

  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={t("title")} lead={t("lead")} />

      <section className="flex flex-col gap-4" aria-labelledby="audit-integrity-title">
        <h2 id="audit-integrity-title" className="text-xl font-semibold">
          {t("integrityTitle")}
        </h2>
        <p className="max-w-2xl text-sm text-muted-fg">{t("integrityLead")}</p>
        <VerifyButton tenantSlug={tenantSlug} />
      </section>

      <section className="flex flex-col gap-4" aria-labelledby="audit-events-title">
        <h2 id="audit-events-title" className="text-xl font-semibold">
          {t("eventsTitle")}
        </h2>
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("filtersLabel")}>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="audit-action" className="text-sm font-medium">
              {t("filterAction")}
            </label>
            <Input id="audit-action" name="action" defaultValue={filters.action} maxLength={100} placeholder="support_session." className="w-48" />
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="audit-actor" className="text-sm font-medium">
              {t("filterActor")}
            </label>
            <Input id="audit-actor" name="actor" defaultValue={filters.actor} maxLength={200} className="w-56" />
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="audit-actor-type" className="text-sm font-medium">
              {t("filterActorType")}
            </label>
            <Select id="audit-actor-type" name="actorType" defaultValue={filters.actorType}>
              <option value="">{t("actorTypes.all")}</option>
              {ACTOR_TYPES.map((a) => (
                <option key={a} value={a}>
                  {t(`actorTypes.${a}`)}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="audit-from" className="text-sm font-medium">
              {t("filterFrom")}
            </label>
            <Input id="audit-from" name="from" type="date" defaultValue={filters.from} className="w-40" />
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="audit-to" className="text-sm font-medium">
              {t("filterTo")}
            </label>
            <Input id="audit-to" name="to" type="date" defaultValue={filters.to} className="w-40" />
          </div>
          <Button type="submit" variant="secondary">
            {t("filterApply")}
          </Button>
          <Link href={`/t/${tenantSlug}/audit`} className="inline-flex h-10 items-center text-sm text-accent underline hover:text-accent-hover">
            {t("filterClear")}
          </Link>
        </form>

        <div className="flex flex-wrap gap-3">
          <ExportLink href={exportQuery("csv")} className={buttonVariants({ variant: "secondary", size: "sm" })}>
            <Download aria-hidden="true" />
            {t("exportCsv")}
          </ExportLink>
          <ExportLink href={exportQuery("json")} className={buttonVariants({ variant: "secondary", size: "sm" })}>
            <Download aria-hidden="true" />
            {t("exportJson")}
          </ExportLink>
        </div>

        {list.items.length === 0 ? (
          <p className="text-muted-fg">{t("empty")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("caption", { name: tenant.name })}</caption>
            <THead>
              <tr>
                <Th>{t("colTime")}</Th>
                <Th>{t("colActor")}</Th>
                <Th>{t("colAction")}</Th>
                <Th>{t("colTarget")}</Th>
                <Th>{t("colResult")}</Th>
                <Th>{t("colDetails")}</Th>
              </tr>
            </THead>
            <tbody>
              {list.items.map((e) => (
                <tr key={e.id}>
                  <Td className="whitespace-nowrap">
                    <time dateTime={e.createdAt.toISOString()}>{format.dateTime(e.createdAt, "long")}</time>
                    <span className="block font-mono text-xs text-muted-fg">#{e.seq}</span>
                  </Td>
                  <Td className="break-all">
                    {e.actorType === "PLATFORM_ADMIN" ? <Badge variant="warning">{actorOf(e)}</Badge> : actorOf(e)}
                    {e.ip ? <span className="block font-mono text-xs text-muted-fg">{e.ip}</span> : null}
                  </Td>
                  <Td className="font-mono text-xs">{e.action}</Td>
                  <Td className="break-all text-xs">{e.targetType ? `${e.targetType}${e.targetId ? ` ${e.targetId}` : ""}` : "—"}</Td>
                  <Td>
                    <Badge variant={e.result === "SUCCESS" ? "success" : "danger"}>{t(`results.${e.result}`)}</Badge>
                  </Td>
                  <Td className="max-w-sm">
                    <EventDetails action={e.action} metadata={e.metadata} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {cursor || list.nextCursor ? (
        <nav aria-label={t("pagination")} className="flex gap-4">
          {cursor ? (
            <Link href={pageQuery(null)} className="text-sm text-accent underline hover:text-accent-hover">
              {t("newest")}
            </Link>
          ) : null}
          {list.nextCursor ? (
            <Link href={pageQuery(list.nextCursor)} className="text-sm text-accent underline hover:text-accent-hover">
              {t("older")}
            </Link>
          ) : null}
        </nav>
        ) : null}
      </section>
    </div>
  );
}
