"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { Link } from "~/i18n/navigation";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { OPS_LIVE_REFRESH_MS, SLOW_REFRESH_MS, useReliabilityFormat } from "./format";
import { RefreshControl } from "./refresh-control";
import { SloTable } from "./slo-table";
import { TopTenants } from "./top-tenants";
import { useRefreshPause } from "./use-live-query";

type Ops = RouterOutputs["admin"]["ops"];
type Live = Ops["live"];

const CHECK_VARIANT = { ok: "success", error: "danger", disabled: "neutral" } as const;

const HealthSection = ({ health }: { health: Live["health"] }) => {
  const t = useTranslations("reliability.ops");
  const f = useReliabilityFormat();
  return (
    <section aria-labelledby="ops-health-title" className="flex flex-col gap-4">
      <h2 id="ops-health-title" className="text-xl font-semibold">
        {t("healthTitle")}
      </h2>
      <p className="text-sm">
        {t("healthSummary", { status: t(`overall.${health.status}`), uptime: f.seconds(health.uptimeSeconds), version: health.version })}
      </p>
      <Table>
        <caption className="sr-only">{t("healthCaption")}</caption>
        <THead>
          <tr>
            <Th>{t("colCheck")}</Th>
            <Th>{t("colStatus")}</Th>
            <Th className="text-right">{t("colLatency")}</Th>
          </tr>
        </THead>
        <tbody>
          {Object.entries(health.checks).map(([name, c]) => (
            <tr key={name}>
              <Th scope="row" className="font-normal">
                {name === "database" || name === "redis" ? t(`check.${name}`) : name}
              </Th>
              <Td>
                <Badge variant={CHECK_VARIANT[c.status]}>{t(`checkStatus.${c.status}`)}</Badge>
                {c.error ? <span className="ml-2 text-xs text-muted-fg">{c.error}</span> : null}
              </Td>
              <Td className="text-right tabular-nums">{c.latencyMs === undefined ? "—" : f.ms(c.latencyMs)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
};

const QueuesSection = ({ queues }: { queues: Live["queues"] }) => {
  const t = useTranslations("reliability.ops");
  const f = useReliabilityFormat();
  return (
    <section aria-labelledby="ops-queues-title" className="flex flex-col gap-4">
      <h2 id="ops-queues-title" className="text-xl font-semibold">
        {t("queuesTitle")}
      </h2>
      <p className="max-w-3xl text-sm text-muted-fg">{t("queuesLead")}</p>
      <p className="text-sm">{t("queuesSummary", { queued: queues.totals.queued, failed: queues.totals.failed24h, dead: queues.totals.openDeadLetters })}</p>
      {queues.functions.length === 0 ? (
        <p className="rounded-lg border border-dashed border-border p-6 text-sm text-muted-fg">{t("queuesEmpty")}</p>
      ) : (
        <Table>
          <caption className="sr-only">{t("queuesCaption")}</caption>
          <THead>
            <tr>
              <Th>{t("colFunction")}</Th>
              <Th className="text-right">{t("colQueued")}</Th>
              <Th className="text-right">{t("colOldestWait")}</Th>
              <Th className="text-right">{t("colInFlight")}</Th>
              <Th className="text-right">{t("colDelayed")}</Th>
              <Th className="text-right">{t("colRuns24h")}</Th>
              <Th className="text-right">{t("colWaitP50")}</Th>
              <Th className="text-right">{t("colWaitP95")}</Th>
              <Th className="text-right">{t("colFailed24h")}</Th>
              <Th className="text-right">{t("colDeadLetters")}</Th>
              <Th>{t("colNewestDeadLetter")}</Th>
            </tr>
          </THead>
          <tbody>
            {queues.functions.map((q) => (
              <tr key={q.functionId} data-testid="queue-row">
                <Th scope="row" className="font-mono text-xs font-normal">
                  {q.functionId}
                </Th>
                <Td className="text-right tabular-nums">{f.number(q.queued)}</Td>
                <Td className="text-right tabular-nums">{f.seconds(q.oldestWaitSeconds)}</Td>
                <Td className="text-right tabular-nums">{f.number(q.inFlight)}</Td>
                <Td className="text-right tabular-nums">{f.number(q.delayed)}</Td>
                <Td className="text-right tabular-nums">{f.number(q.runs24h)}</Td>
                <Td className="text-right tabular-nums">{f.ms(q.waitP50Ms24h)}</Td>
                <Td className="text-right tabular-nums">{f.ms(q.waitP95Ms24h)}</Td>
                <Td className="text-right tabular-nums">{f.number(q.failed24h)}</Td>
                <Td className="text-right tabular-nums">{f.number(q.openDeadLetters)}</Td>
                <Td>{q.newestDeadLetterAt ? <time dateTime={q.newestDeadLetterAt.toISOString()}>{f.dateTime(q.newestDeadLetterAt)}</time> : "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {queues.totals.openDeadLetters > 0 ? (
        <Link href="/admin/jobs?status=open" className="self-start text-sm text-accent underline hover:text-accent-hover">
          {t("deadLettersLink")}
        </Link>
      ) : null}
    </section>
  );
};

/** /admin/ops: live health and queues (every 15 s), SLOs (every minute), top tenants (as loaded). */
export const OpsView = ({ initial }: { initial: { slos: Ops["slos"]; live: Live; topTenants: Ops["topTenants"] } }) => {
  const t = useTranslations("reliability");
  const f = useReliabilityFormat();
  const trpc = useTRPC();
  const { paused, toggle, interval } = useRefreshPause();
  const live = useQuery({ ...trpc.admin.ops.live.queryOptions(), initialData: initial.live, refetchInterval: interval(OPS_LIVE_REFRESH_MS) });
  const slos = useQuery({ ...trpc.admin.ops.slos.queryOptions(), initialData: initial.slos, refetchInterval: interval(SLOW_REFRESH_MS) });
  const unavailable = slos.data.slos.some((s) => s.source === "unavailable");
  const perProcess = slos.data.slos.find((s) => s.source === "process" && s.since);

  return (
    <div className="flex flex-col gap-10">
      <RefreshControl updatedAt={live.data.queues.at} paused={paused} onToggle={toggle} everySeconds={OPS_LIVE_REFRESH_MS / 1000} failed={live.isError || slos.isError} />
      <HealthSection health={live.data.health} />
      <section aria-labelledby="ops-slo-title" className="flex flex-col gap-4">
        <h2 id="ops-slo-title" className="text-xl font-semibold">
          {t("slo.title")}
        </h2>
        <p className="max-w-3xl text-sm text-muted-fg">{t("slo.specNote")}</p>
        <SloTable slos={slos.data.slos} window={slos.data.window} caption={t("slo.caption")} />
        {unavailable ? <Alert variant="info">{t("slo.unavailableNote")}</Alert> : null}
        {perProcess?.since ? <Alert variant="info">{t("slo.processNote", { since: f.dateTime(perProcess.since) })}</Alert> : null}
      </section>
      <QueuesSection queues={live.data.queues} />
      <TopTenants top={initial.topTenants} />
    </div>
  );
};
