import { ArrowLeft, ArrowRight } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert, AlertTitle } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { bytesUnit } from "~/features/admin/format";
import { NotAllowed } from "~/features/admin/not-allowed";
import { TenantStatusActions } from "~/features/admin/tenant-status-actions";
import { TokenBudgetForm } from "~/features/admin/token-budget-form";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantId: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "admin" });
  return { title: t("tenantMetaTitle") };
};

const load = (tenantId: string) =>
  loadForPlatformAdmin(async () => ({ tenant: await api.admin.tenant({ tenantId }) }), { missing: "notFound" });

const Figure = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex flex-col gap-1 rounded-lg border border-border p-4">
    <dt className="text-sm text-muted-fg">{label}</dt>
    <dd className="text-2xl font-semibold tabular-nums">{children}</dd>
  </div>
);

export default async function AdminTenantPage({ params }: Props) {
  const { locale: segment, tenantId } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, `/admin/tenants/${tenantId}`);
  const t = await getTranslations("admin");
  const ts = await getTranslations("status");
  const tr = await getTranslations("roles");
  const format = await getFormatter();
  const data = await load(tenantId);
  if (!data.allowed) return <NotAllowed />;
  const x = data.tenant;
  const storage = bytesUnit(x.usage.storageBytes);

  return (
    <div className="flex flex-col gap-10">
      <div className="flex flex-col gap-4">
        <Link href="/admin" className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToOverview")}
        </Link>
        <PageHeader
          title={x.name}
          lead={
            <span className="flex flex-wrap items-center gap-3">
              <span className="font-mono text-sm">{x.slug}</span>
              <Badge variant={x.status === "ACTIVE" ? "success" : "danger"}>{ts(x.status)}</Badge>
              <span>
                {t("plan")}: <span className="capitalize">{x.plan}</span>
              </span>
              <span>
                {t("created")}: <time dateTime={x.createdAt.toISOString()}>{format.dateTime(x.createdAt, "short")}</time>
              </span>
            </span>
          }
          actions={<TenantStatusActions tenantId={x.id} name={x.name} status={x.status} />}
        />
      </div>

      {x.status === "SUSPENDED" ? (
        <Alert variant="danger" role="status">
          <AlertTitle>{t("suspendedBanner")}</AlertTitle>
          {x.lastStatusChange?.action === "tenant.suspended" ? (
            <p>
              {t("suspendedSince", { when: format.dateTime(x.lastStatusChange.at, "long") })}{" "}
              {x.lastStatusChange.reason ? t("suspendedReason", { reason: x.lastStatusChange.reason }) : null}
            </p>
          ) : null}
        </Alert>
      ) : null}

      <section aria-labelledby="tenant-usage-title" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="tenant-usage-title" className="text-xl font-semibold">
            {t("usageTitle")}
          </h2>
          <div className="flex flex-wrap gap-4 text-sm">
            <Link href={{ pathname: "/admin/usage", query: { tenant: x.id } }} className="inline-flex items-center gap-1 font-medium text-accent underline hover:text-accent-hover">
              {t("viewUsage")}
              <ArrowRight aria-hidden="true" className="size-4" />
            </Link>
            <Link href={{ pathname: "/admin/audit", query: { tenant: x.slug } }} className="inline-flex items-center gap-1 font-medium text-accent underline hover:text-accent-hover">
              {t("viewAudit")}
              <ArrowRight aria-hidden="true" className="size-4" />
            </Link>
          </div>
        </div>
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Figure label={t("usageDocuments")}>{format.number(x.usage.documents)}</Figure>
          <Figure label={t("usageStorage")}>{format.number(storage.value, { style: "unit", unit: storage.unit, maximumFractionDigits: 1 })}</Figure>
          <Figure label={t("usageConversations")}>{format.number(x.usage.conversations)}</Figure>
          <Figure label={t("usageLlmCalls")}>{format.number(x.usage.llmCalls30d)}</Figure>
          <Figure label={t("usageTokens")}>
            {format.number(x.usage.inputTokens30d + x.usage.outputTokens30d)}
            <span className="block text-sm font-normal text-muted-fg">
              {t("tokensInOut", { input: format.number(x.usage.inputTokens30d), output: format.number(x.usage.outputTokens30d) })}
            </span>
          </Figure>
        </dl>
      </section>

      <section aria-labelledby="tenant-budget-title" className="flex flex-col gap-4">
        <h2 id="tenant-budget-title" className="text-xl font-semibold">
          {t("budgetTitle")}
        </h2>
        <p className="flex flex-wrap items-center gap-2" data-testid="admin-token-budget">
          {x.tokenBudget.monthlyTokens === null
            ? t("budgetUnlimited", { used: format.number(x.tokenBudget.used), month: x.tokenBudget.month })
            : t("budgetCurrent", {
                used: format.number(x.tokenBudget.used),
                budget: format.number(x.tokenBudget.monthlyTokens),
                month: x.tokenBudget.month,
                date: format.dateTime(x.tokenBudget.resetsAt, { dateStyle: "long", timeZone: "UTC" }),
              })}
          {x.tokenBudget.exhausted ? <Badge variant="danger">{t("budgetExhaustedBadge")}</Badge> : null}
        </p>
        <TokenBudgetForm tenantId={x.id} monthlyTokens={x.tokenBudget.monthlyTokens} />
      </section>

      <section aria-labelledby="tenant-members-title" className="flex flex-col gap-4">
        <h2 id="tenant-members-title" className="text-xl font-semibold">
          {t("membersTitle")}
        </h2>
        {x.members.length === 0 ? (
          <p className="text-muted-fg">{t("noResults")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("membersTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("email")}</Th>
                <Th>{t("name")}</Th>
                <Th>{t("role")}</Th>
                <Th>{t("joined")}</Th>
              </tr>
            </THead>
            <tbody>
              {x.members.map((m) => (
                <tr key={m.membershipId}>
                  <Td className="break-all font-medium">
                    <Link href={`/admin/users/${m.userId}`} className="text-accent underline hover:text-accent-hover">
                      {m.email}
                    </Link>{" "}
                    {m.disabledAt ? <Badge variant="danger">{t("disabled")}</Badge> : null}
                  </Td>
                  <Td>{m.name ?? "—"}</Td>
                  <Td>{tr(m.role)}</Td>
                  <Td>
                    <time dateTime={m.joinedAt.toISOString()}>{format.dateTime(m.joinedAt, "short")}</time>
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
