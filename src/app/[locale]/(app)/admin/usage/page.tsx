import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { NotAllowed } from "~/features/admin/not-allowed";
import { UsageChart } from "~/features/admin/usage-chart";
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
  return { title: t("usagePageTitle") };
};

/** Rows of the per-workspace-per-day table shown on the page (the chart and totals cover everything). */
const MAX_DETAIL_ROWS = 300;

const str = (v: string | string[] | undefined, max: number) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : undefined);

const load = async (input: { from?: string; to?: string; tenantId?: string }) => {
  try {
    const [usage, tenants] = await Promise.all([api.admin.usage(input), api.admin.tenants({ take: 200 })]);
    return { allowed: true as const, usage, tenants, invalid: false };
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "FORBIDDEN") return { allowed: false as const };
    // A reversed or too long range, or a mistyped date: show the default range and say so.
    if (code === "BAD_REQUEST") {
      const [usage, tenants] = await Promise.all([api.admin.usage({ tenantId: input.tenantId }), api.admin.tenants({ take: 200 })]);
      return { allowed: true as const, usage, tenants, invalid: true };
    }
    throw err;
  }
};

export default async function AdminUsagePage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/usage");
  const query = await searchParams;
  const t = await getTranslations("admin");
  const format = await getFormatter();
  const data = await load({ from: str(query.from, 10), to: str(query.to, 10), tenantId: str(query.tenant, 100) });
  if (!data.allowed) return <NotAllowed />;
  const u = data.usage;
  const dayLabel = (day: string) => format.dateTime(new Date(`${day}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" });
  const detail = [...u.perTenantDay].reverse().slice(0, MAX_DETAIL_ROWS);

  return (
    <div className="flex flex-col gap-10">
      <PageHeader title={t("usagePageTitle")} lead={t("usageLead")} />

      <form method="get" className="flex flex-wrap items-end gap-3">
        <Field>
          <Label htmlFor="usage-from">{t("from")}</Label>
          <Input id="usage-from" name="from" type="date" defaultValue={u.from} className="w-44" />
        </Field>
        <Field>
          <Label htmlFor="usage-to">{t("to")}</Label>
          <Input id="usage-to" name="to" type="date" defaultValue={u.to} className="w-44" />
        </Field>
        <Field>
          <Label htmlFor="usage-tenant">{t("workspace")}</Label>
          <Select id="usage-tenant" name="tenant" defaultValue={u.tenantId ?? ""} className="w-64">
            <option value="">{t("allWorkspaces")}</option>
            {data.tenants.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} ({x.slug})
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="secondary">
          {t("apply")}
        </Button>
      </form>
      {data.invalid ? (
        <Alert variant="warning" role="status">
          {t("invalidRange")}
        </Alert>
      ) : null}

      <p className="text-sm">
        {t("rangeTotals", { from: dayLabel(u.from), to: dayLabel(u.to), calls: format.number(u.totals.calls), tokens: format.number(u.totals.tokens) })}
      </p>

      <UsageChart days={u.daily} />

      <section aria-labelledby="usage-top-title" className="flex flex-col gap-4">
        <h2 id="usage-top-title" className="text-xl font-semibold">
          {t("topTenantsTitle")}
        </h2>
        {u.topTenants.length === 0 ? (
          <p className="text-muted-fg">{t("chartEmpty")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("topTenantsTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("workspace")}</Th>
                <Th className="text-right">{t("calls")}</Th>
                <Th className="text-right">{t("tokens")}</Th>
              </tr>
            </THead>
            <tbody>
              {u.topTenants.map((x) => (
                <tr key={x.tenantId}>
                  <Td className="font-medium">
                    {x.tenantSlug ? (
                      <Link href={`/admin/tenants/${x.tenantId}`} className="text-accent underline hover:text-accent-hover">
                        {x.tenantName} <span className="font-mono text-xs">({x.tenantSlug})</span>
                      </Link>
                    ) : (
                      t("deletedTenant")
                    )}
                  </Td>
                  <Td className="text-right tabular-nums">{format.number(x.calls)}</Td>
                  <Td className="text-right tabular-nums">{format.number(x.tokens)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      <section aria-labelledby="usage-detail-title" className="flex flex-col gap-4">
        <h2 id="usage-detail-title" className="text-xl font-semibold">
          {t("perTenantDayTitle")}
        </h2>
        {detail.length === 0 ? (
          <p className="text-muted-fg">{t("chartEmpty")}</p>
        ) : (
          <>
            <Table>
              <caption className="sr-only">{t("perTenantDayTitle")}</caption>
              <THead>
                <tr>
                  <Th>{t("day")}</Th>
                  <Th>{t("workspace")}</Th>
                  <Th className="text-right">{t("calls")}</Th>
                  <Th className="text-right">{t("inputTokens")}</Th>
                  <Th className="text-right">{t("outputTokens")}</Th>
                </tr>
              </THead>
              <tbody>
                {detail.map((r) => (
                  <tr key={`${r.day}-${r.tenantId}`}>
                    <Td>
                      <time dateTime={r.day}>{dayLabel(r.day)}</time>
                    </Td>
                    <Td className="font-mono text-xs">{r.tenantSlug ?? t("deletedTenant")}</Td>
                    <Td className="text-right tabular-nums">{format.number(r.calls)}</Td>
                    <Td className="text-right tabular-nums">{format.number(r.inputTokens)}</Td>
                    <Td className="text-right tabular-nums">{format.number(r.outputTokens)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {u.perTenantDay.length > detail.length ? <p className="text-sm text-muted-fg">{t("detailTruncated", { shown: detail.length, total: u.perTenantDay.length })}</p> : null}
          </>
        )}
      </section>
    </div>
  );
}
