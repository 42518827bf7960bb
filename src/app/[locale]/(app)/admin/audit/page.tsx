import { Download } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button, buttonVariants } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { NotAllowed } from "~/features/admin/not-allowed";
import { ExportLink } from "~/features/audit/export-link";
import { requireSession } from "~/lib/server-pages/require-session";
import { trpcCodeOf } from "~/lib/server-pages/trpc-errors";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "admin" });
  return { title: t("auditPageTitle") };
};

const str = (v: string | string[] | undefined, max: number) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : undefined);
/** `<input type="datetime-local">` values, read as UTC (the page says so). */
const LOCAL_DT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const utcDate = (v: string | undefined): { value?: Date; invalid: boolean } => {
  if (!v) return { invalid: false };
  const d = LOCAL_DT.test(v) ? new Date(`${v.length === 16 ? `${v}:00` : v}Z`) : new Date(Number.NaN);
  return Number.isNaN(d.getTime()) ? { invalid: true } : { value: d, invalid: false };
};

const RESULT_VARIANT = { SUCCESS: "success", FAILURE: "warning", DENIED: "danger" } as const;

export default async function AdminAuditPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/audit");
  const query = await searchParams;
  const t = await getTranslations("admin");
  const format = await getFormatter();

  const filter = { tenant: str(query.tenant, 100), actor: str(query.actor, 320), action: str(query.action, 100) };
  const fromRaw = str(query.from, 19);
  const toRaw = str(query.to, 19);
  const from = utcDate(fromRaw);
  const to = utcDate(toRaw);
  const cursor = str(query.cursor, 100);

  let data;
  try {
    data = await api.admin.auditLog({ ...filter, from: from.value, to: to.value, cursor, take: 50 });
  } catch (err) {
    if (trpcCodeOf(err) === "FORBIDDEN") return <NotAllowed />;
    throw err;
  }

  // The filter as URL parameters: for the export links and the next page.
  const filterParams = Object.fromEntries(
    Object.entries({ ...filter, from: from.value?.toISOString(), to: to.value?.toISOString() }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const pageParams = Object.fromEntries(Object.entries({ ...filter, from: fromRaw, to: toRaw }).filter((e): e is [string, string] => e[1] !== undefined));
  const exportHref = (format: "csv" | "json") => `/api/admin/audit/export?${new URLSearchParams({ format, ...filterParams })}`;

  return (
    <div className="flex flex-col gap-8">
      <PageHeader
        title={t("auditPageTitle")}
        lead={t("auditLead")}
        actions={
          <>
            <ExportLink href={exportHref("csv")} className={buttonVariants({ variant: "secondary" })}>
              <Download aria-hidden="true" />
              {t("exportCsv")}
            </ExportLink>
            <ExportLink href={exportHref("json")} className={buttonVariants({ variant: "secondary" })}>
              <Download aria-hidden="true" />
              {t("exportJson")}
            </ExportLink>
          </>
        }
      />

      <form method="get" className="grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field>
          <Label htmlFor="audit-tenant">{t("filterTenant")}</Label>
          <Input id="audit-tenant" name="tenant" defaultValue={filter.tenant ?? ""} maxLength={100} />
        </Field>
        <Field>
          <Label htmlFor="audit-actor">{t("filterActor")}</Label>
          <Input id="audit-actor" name="actor" type="email" defaultValue={filter.actor ?? ""} maxLength={320} />
        </Field>
        <Field>
          <Label htmlFor="audit-action">{t("filterAction")}</Label>
          <Input id="audit-action" name="action" defaultValue={filter.action ?? ""} maxLength={100} placeholder="admin." />
        </Field>
        <Field>
          <Label htmlFor="audit-from">{t("filterFrom")}</Label>
          <Input id="audit-from" name="from" type="datetime-local" defaultValue={fromRaw ?? ""} />
        </Field>
        <Field>
          <Label htmlFor="audit-to">{t("filterTo")}</Label>
          <Input id="audit-to" name="to" type="datetime-local" defaultValue={toRaw ?? ""} />
        </Field>
        <div className="flex flex-wrap gap-3">
          <Button type="submit">{t("filter")}</Button>
          <Button asChild variant="secondary">
            <Link href="/admin/audit">{t("clearFilters")}</Link>
          </Button>
        </div>
      </form>
      {from.invalid || to.invalid ? (
        <Alert variant="warning" role="status">
          {t("invalidFilter")}
        </Alert>
      ) : null}

      {data.items.length === 0 ? (
        <p className="text-muted-fg">{t("noResults")}</p>
      ) : (
        <Table>
          <caption className="sr-only">{t("auditPageTitle")}</caption>
          <THead>
            <tr>
              <Th>{t("when")}</Th>
              <Th>{t("action")}</Th>
              <Th>{t("actor")}</Th>
              <Th>{t("workspace")}</Th>
              <Th>{t("target")}</Th>
              <Th>{t("result")}</Th>
              <Th>{t("details")}</Th>
            </tr>
          </THead>
          <tbody>
            {data.items.map((e) => (
              <tr key={e.id}>
                <Td className="whitespace-nowrap">
                  <time dateTime={e.createdAt.toISOString()}>{format.dateTime(e.createdAt, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" })}</time>
                </Td>
                <Td className="font-mono text-xs">{e.action}</Td>
                <Td className="break-all">
                  {e.actorEmail ?? (e.actorType === "SYSTEM" ? t("system") : "—")}
                  {e.actorType === "PLATFORM_ADMIN" ? (
                    <>
                      {" "}
                      <Badge variant="accent">{t("staff")}</Badge>
                    </>
                  ) : null}
                </Td>
                <Td className="font-mono text-xs">{e.tenantId ? (e.tenantSlug ?? e.tenantId) : t("platformChain")}</Td>
                <Td className="break-all font-mono text-xs">{e.targetType ? `${e.targetType}${e.targetId ? `:${e.targetId}` : ""}` : "—"}</Td>
                <Td>
                  <Badge variant={RESULT_VARIANT[e.result]}>{t(`result${e.result}`)}</Badge>
                </Td>
                <Td>
                  <details>
                    <summary className="cursor-pointer text-sm text-accent underline">{t("showDetails")}</summary>
                    <dl className="mt-2 flex flex-col gap-1 text-xs">
                      <dt className="font-medium">{t("chain")}</dt>
                      <dd className="font-mono">
                        {e.chain} #{e.seq}
                      </dd>
                      <dt className="font-medium">{t("ipAddress")}</dt>
                      <dd className="font-mono">{e.ip ?? "—"}</dd>
                      <dt className="font-medium">{t("metadata")}</dt>
                      <dd>
                        <pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-surface p-2 font-mono">{JSON.stringify(e.metadata ?? null, null, 2)}</pre>
                      </dd>
                    </dl>
                  </details>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}

      {cursor || data.nextCursor ? (
        <nav aria-label={t("pagination")} className="flex flex-wrap gap-4 text-sm">
          {cursor ? (
            <Link href={{ pathname: "/admin/audit", query: pageParams }} className="font-medium text-accent underline hover:text-accent-hover">
              {t("newestEvents")}
            </Link>
          ) : null}
          {data.nextCursor ? (
            <Link href={{ pathname: "/admin/audit", query: { ...pageParams, cursor: data.nextCursor } }} className="font-medium text-accent underline hover:text-accent-hover">
              {t("olderEvents")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
