import { ArrowLeft, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Select } from "~/components/ui/select";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { DiagnosticForm, FixDiagnosticButton } from "~/features/admin-jobs/diagnostic-form";
import { DeadLetterStatusBadge } from "~/features/admin-jobs/status-badge";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "adminJobs" });
  return { title: t("metaTitle") };
};

const STATUSES = ["open", "replayed", "discarded"] as const;
type Status = (typeof STATUSES)[number];
const STATUS_KEY = { open: "statusOpen", replayed: "statusReplayed", discarded: "statusDiscarded" } as const;

const param = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim().slice(0, 200) : "");

const RUN_STATUSES = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;
type RunStatus = (typeof RUN_STATUSES)[number];

const load = (filters: { functionId: string; tenantId: string; status: Status | ""; cursor: string; runStatus: RunStatus | ""; runCursor: string }) =>
  loadForPlatformAdmin(async () => {
    const [runs, deadLetters, diagnostics] = await Promise.all([
      api.admin.jobRuns({ status: filters.runStatus || undefined, cursor: filters.runCursor || undefined, take: 20 }),
      api.admin.deadLetters({
        functionId: filters.functionId || undefined,
        tenantId: filters.tenantId || undefined,
        status: filters.status || undefined,
        cursor: filters.cursor || undefined,
        take: 50,
      }),
      api.admin.diagnostics({}),
    ]);
    return { runs, deadLetters, diagnostics };
  });

export default async function AdminJobsPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/jobs");
  const query = await searchParams;
  // Filters are GET parameters: fn (function id), tenant (tenant id), status, cursor (paging).
  const functionId = param(query.fn);
  const tenantId = param(query.tenant);
  const rawStatus = param(query.status);
  const status: Status | "" = (STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as Status) : "";
  const cursor = param(query.cursor);
  // Runs: runStatus filter and runCursor paging.
  const rawRunStatus = param(query.runStatus);
  const runStatus: RunStatus | "" = (RUN_STATUSES as readonly string[]).includes(rawRunStatus) ? (rawRunStatus as RunStatus) : "";
  const runCursor = param(query.runCursor);
  const t = await getTranslations("adminJobs");
  const ta = await getTranslations("admin");
  const format = await getFormatter();
  const data = await load({ functionId, tenantId, status, cursor, runStatus, runCursor });

  if (!data.allowed) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <ShieldAlert aria-hidden="true" className="size-10 text-danger" />
        <h1 className="text-3xl font-bold tracking-tight">{ta("notAllowedTitle")}</h1>
        <p className="text-muted-fg">{ta("notAllowedBody")}</p>
      </div>
    );
  }

  const { runs, deadLetters, diagnostics } = data;
  const olderRunsHref = runs.nextCursor ? `/admin/jobs?${new URLSearchParams({ ...(runStatus ? { runStatus } : {}), runCursor: runs.nextCursor }).toString()}` : null;
  const nextHref = deadLetters.nextCursor
    ? `/admin/jobs?${new URLSearchParams({ ...(functionId ? { fn: functionId } : {}), ...(tenantId ? { tenant: tenantId } : {}), ...(status ? { status } : {}), cursor: deadLetters.nextCursor }).toString()}`
    : null;

  return (
    <div className="flex flex-col gap-12">
      <div className="flex flex-col gap-4">
        <Link href="/admin" className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToAdmin")}
        </Link>
        <PageHeader title={t("title")} lead={t("lead")} />
      </div>

      <section className="flex flex-col gap-4" aria-labelledby="jobs-diagnostic-title">
        <h2 id="jobs-diagnostic-title" className="text-xl font-semibold">
          {t("diagnosticTitle")}
        </h2>
        <p className="max-w-2xl text-sm text-muted-fg">{t("diagnosticBody")}</p>
        <DiagnosticForm />
        <h3 className="text-lg font-semibold">{t("failingTitle")}</h3>
        {diagnostics.length === 0 ? (
          <p className="text-muted-fg">{t("noFailing")}</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {diagnostics.map((d) => (
              <li key={d.pingId} className="flex flex-wrap items-center gap-3">
                <span className="font-mono text-xs">{d.pingId}</span>
                <time dateTime={d.createdAt.toISOString()} className="text-sm text-muted-fg">
                  {format.dateTime(d.createdAt, "long")}
                </time>
                <FixDiagnosticButton pingId={d.pingId} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="flex flex-col gap-4" aria-labelledby="jobs-runs-title">
        <h2 id="jobs-runs-title" className="text-xl font-semibold">
          {t("runsTitle")}
        </h2>
        <p className="max-w-2xl text-sm text-muted-fg">{t("runsBody")}</p>
        <ul className="flex flex-wrap gap-2" aria-label={t("runCountsLabel")}>
          {RUN_STATUSES.map((s) => (
            <li key={s}>
              <Badge variant={s === "FAILED" ? "danger" : s === "COMPLETED" ? "success" : "neutral"}>
                {t("runCount", { status: t(`runStatus${s}`), count: runs.counts[s] ?? 0 })}
              </Badge>
            </li>
          ))}
        </ul>
        <form method="get" className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-0 max-w-full flex-col gap-1.5">
            <label htmlFor="jobs-filter-run-status" className="text-sm font-medium">
              {t("filterStatus")}
            </label>
            <Select id="jobs-filter-run-status" name="runStatus" defaultValue={runStatus}>
              <option value="">{t("any")}</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`runStatus${s}`)}
                </option>
              ))}
            </Select>
          </div>
          <Button type="submit" variant="secondary">
            {t("filter")}
          </Button>
        </form>
        {runs.items.length === 0 ? (
          <p className="text-muted-fg">{t("noRuns")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("runsTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("runCreated")}</Th>
                <Th>{t("function")}</Th>
                <Th>{t("tenant")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("attempts")}</Th>
                <Th>{t("runDuration")}</Th>
              </tr>
            </THead>
            <tbody>
              {runs.items.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <time dateTime={r.createdAt.toISOString()}>{format.dateTime(r.createdAt, "long")}</time>
                  </Td>
                  <Td className="font-mono text-xs">{r.functionId}</Td>
                  <Td className="font-mono text-xs">{r.tenantId ?? "—"}</Td>
                  <Td>{(RUN_STATUSES as readonly string[]).includes(r.status) ? t(`runStatus${r.status as RunStatus}`) : r.status}</Td>
                  <Td className="tabular-nums">{r.attempts}</Td>
                  <Td className="tabular-nums">{r.durationMs === null ? "—" : t("runDurationMs", { ms: r.durationMs })}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {olderRunsHref ? (
          <Link href={olderRunsHref} className="text-sm text-accent underline hover:text-accent-hover">
            {t("olderRuns")}
          </Link>
        ) : null}
      </section>

      <section className="flex flex-col gap-4" aria-labelledby="jobs-dead-letters-title">
        <h2 id="jobs-dead-letters-title" className="text-xl font-semibold">
          {t("deadLettersTitle")}
        </h2>
        <form method="get" className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-0 max-w-full flex-col gap-1.5">
            <label htmlFor="jobs-filter-fn" className="text-sm font-medium">
              {t("filterFunction")}
            </label>
            <Select id="jobs-filter-fn" name="fn" defaultValue={functionId}>
              <option value="">{t("any")}</option>
              {deadLetters.functionIds.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex min-w-0 max-w-full flex-col gap-1.5">
            <label htmlFor="jobs-filter-tenant" className="text-sm font-medium">
              {t("filterTenant")}
            </label>
            <Select id="jobs-filter-tenant" name="tenant" defaultValue={tenantId}>
              <option value="">{t("any")}</option>
              {deadLetters.tenantIds.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex min-w-0 max-w-full flex-col gap-1.5">
            <label htmlFor="jobs-filter-status" className="text-sm font-medium">
              {t("filterStatus")}
            </label>
            <Select id="jobs-filter-status" name="status" defaultValue={status}>
              <option value="">{t("any")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(STATUS_KEY[s])}
                </option>
              ))}
            </Select>
          </div>
          <Button type="submit" variant="secondary">
            {t("filter")}
          </Button>
        </form>

        {deadLetters.items.length === 0 ? (
          <p className="text-muted-fg">{t("noDeadLetters")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("deadLettersTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("created")}</Th>
                <Th>{t("function")}</Th>
                <Th>{t("tenant")}</Th>
                <Th>{t("event")}</Th>
                <Th>{t("error")}</Th>
                <Th>{t("attempts")}</Th>
                <Th>{t("status")}</Th>
                <Th>
                  <span className="sr-only">{t("details")}</span>
                </Th>
              </tr>
            </THead>
            <tbody>
              {deadLetters.items.map((d) => (
                <tr key={d.id}>
                  <Td>
                    <time dateTime={d.createdAt.toISOString()}>{format.dateTime(d.createdAt, "long")}</time>
                  </Td>
                  <Td className="font-mono text-xs">{d.functionId}</Td>
                  <Td className="font-mono text-xs">{d.tenantId ?? "—"}</Td>
                  <Td className="font-mono text-xs">{d.eventName}</Td>
                  <Td className="max-w-xs break-words">
                    <span className="font-medium">{d.errorName}</span>: {d.errorMessage}
                  </Td>
                  <Td>{d.attempts}</Td>
                  <Td>
                    <DeadLetterStatusBadge status={d.status} />
                  </Td>
                  <Td>
                    <Link
                      href={`/admin/jobs/${d.id}`}
                      aria-label={t("detailsLabel", { functionId: d.functionId, time: format.dateTime(d.createdAt, "long") })}
                      className="text-accent underline hover:text-accent-hover"
                    >
                      {t("details")}
                    </Link>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {nextHref ? (
          <Link href={nextHref} className="self-start text-sm text-accent underline hover:text-accent-hover">
            {t("nextPage")}
          </Link>
        ) : null}
      </section>
    </div>
  );
}
