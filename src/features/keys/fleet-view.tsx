"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { GuardedConfirm } from "./guarded-confirm";
import { isInFlight, useKeyFormat } from "./key-format";
import { OperationTable } from "./operation-table";
import { PollControl } from "./rotation-progress";
import { useCompletionAnnouncement, useKeyPolling } from "./use-key-polling";

type Fleet = RouterOutputs["admin"]["keys"]["fleet"];

const RUNBOOK_PATH = "docs/runbooks/key-rotation.md";

const Figure = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="flex flex-col gap-1 rounded-lg border border-border p-4">
    <dt className="text-sm text-muted-fg">{label}</dt>
    <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>
      {children}
    </dd>
  </div>
);

const AgeBuckets = ({ fleet }: { fleet: Fleet }) => {
  const t = useTranslations("adminKeys");
  const f = useKeyFormat();
  const rows = [
    { key: "under30", label: t("bucketUnder30"), count: fleet.ageBuckets.under30 },
    { key: "from30to60", label: t("bucket30to60"), count: fleet.ageBuckets.from30to60 },
    { key: "from60to90", label: t("bucket60to90"), count: fleet.ageBuckets.from60to90 },
    { key: "overPolicy", label: t("bucketOverPolicy", { days: fleet.policyDays }), count: fleet.ageBuckets.overPolicy },
  ];
  return (
    <section aria-labelledby="fleet-age-title" className="flex flex-col gap-4">
      <h2 id="fleet-age-title" className="text-xl font-semibold">
        {t("ageTitle")}
      </h2>
      <p className="max-w-3xl text-sm text-muted-fg">{t("ageLead", { tenants: fleet.tenants, days: fleet.policyDays })}</p>
      <div className="max-w-xl">
        <Table>
          <caption className="sr-only">{t("ageCaption")}</caption>
          <THead>
            <tr>
              <Th>{t("colAge")}</Th>
              <Th className="text-right">{t("colTenants")}</Th>
            </tr>
          </THead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <Th scope="row" className="font-normal">
                  {r.label}
                </Th>
                <Td className={r.key === "overPolicy" && r.count > 0 ? "text-right font-semibold tabular-nums text-danger" : "text-right tabular-nums"}>{f.number(r.count)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    </section>
  );
};

const RewrapButton = ({ version, running }: { version: number; running: boolean }) => {
  const t = useTranslations("adminKeys");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const rewrap = useMutation(trpc.admin.keys.rotateMaster.mutationOptions());
  return (
    <GuardedConfirm
      icon={<KeyRound aria-hidden="true" />}
      label={t("rewrap", { version })}
      variant="primary"
      unavailable={running ? t("rewrapRunning") : null}
      title={t("rewrapTitle", { version })}
      description={
        <>
          <p>{t("rewrapBody", { version })}</p>
          <p>
            {t("rewrapRunbook")} <code className="font-mono text-xs text-fg">{RUNBOOK_PATH}</code>
          </p>
        </>
      }
      confirmLabel={t("rewrapConfirm")}
      onConfirm={async () => {
        try {
          await rewrap.mutateAsync();
          await queryClient.invalidateQueries(trpc.admin.keys.fleet.queryFilter());
          return null;
        } catch (err) {
          return errorMessage(err);
        }
      }}
    />
  );
};

/** Incident response (docs/runbooks/incident-response.md): every workspace's data key rotated now, whatever its age. */
const RotateAllSection = () => {
  const t = useTranslations("adminKeys");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const rotateAll = useMutation(trpc.admin.keys.rotateAllDataKeys.mutationOptions());
  return (
    <section aria-labelledby="fleet-rotate-all-title" className="flex flex-col gap-4">
      <h2 id="fleet-rotate-all-title" className="text-xl font-semibold">
        {t("rotateAllTitle")}
      </h2>
      <p className="max-w-3xl text-sm text-muted-fg">{t("rotateAllLead")}</p>
      {rotateAll.data ? (
        <p role="status" className="text-sm" data-testid="rotate-all-result">
          {t("rotateAllStarted", { count: rotateAll.data.started })}
        </p>
      ) : null}
      <GuardedConfirm
        icon={<KeyRound aria-hidden="true" />}
        label={t("rotateAll")}
        variant="danger"
        unavailable={null}
        title={t("rotateAllConfirmTitle")}
        description={<p>{t("rotateAllConfirmBody")}</p>}
        confirmLabel={t("rotateAllConfirm")}
        onConfirm={async () => {
          try {
            await rotateAll.mutateAsync();
            await queryClient.invalidateQueries(trpc.admin.keys.fleet.queryFilter());
            return null;
          } catch (err) {
            return errorMessage(err);
          }
        }}
      />
    </section>
  );
};

const MasterKeys = ({ fleet, running }: { fleet: Fleet; running: boolean }) => {
  const t = useTranslations("adminKeys");
  const f = useKeyFormat();
  return (
    <section aria-labelledby="fleet-master-title" className="flex flex-col gap-4">
      <h2 id="fleet-master-title" className="text-xl font-semibold">
        {t("masterTitle")}
      </h2>
      <p className="text-sm">{t("currentMaster", { version: fleet.currentKekVersion })}</p>
      {fleet.staleDataKeys > 0 ? (
        <Alert variant="warning" data-testid="stale-data-keys">
          {t("staleAlert", { count: fleet.staleDataKeys, version: fleet.currentKekVersion })}
        </Alert>
      ) : (
        <Alert variant="success" data-testid="stale-data-keys">
          {t("noStale", { version: fleet.currentKekVersion })}
        </Alert>
      )}
      <div className="max-w-xl">
        <Table>
          <caption className="sr-only">{t("masterCaption")}</caption>
          <THead>
            <tr>
              <Th>{t("colMasterVersion")}</Th>
              <Th className="text-right">{t("colDataKeys")}</Th>
              <Th>{t("colState")}</Th>
            </tr>
          </THead>
          <tbody>
            {fleet.dataKeysByKekVersion.map((b) => {
              const stale = b.kekVersion !== fleet.currentKekVersion;
              return (
                <tr key={b.kekVersion} className={stale ? "bg-warning-soft" : undefined}>
                  <Th scope="row" className="font-mono font-normal">
                    {t("masterVersionValue", { version: b.kekVersion })}
                  </Th>
                  <Td className="text-right tabular-nums">{f.number(b.count)}</Td>
                  <Td>{stale ? <Badge variant="warning">{t("stale")}</Badge> : <Badge variant="success">{t("current")}</Badge>}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </div>
      <p className="max-w-3xl text-sm text-muted-fg">
        {t("rewrapLead")} <code className="rounded bg-surface px-1 font-mono text-xs text-fg">{RUNBOOK_PATH}</code>
      </p>
      <RewrapButton version={fleet.currentKekVersion} running={running} />
    </section>
  );
};

/** /admin/keys: data-key age across workspaces, master-key versions and the rewrap, operations fleet-wide (polled while any runs). */
export const FleetView = ({ initial, renderedAt }: { initial: Fleet; renderedAt: number }) => {
  const t = useTranslations("adminKeys");
  const f = useKeyFormat();
  const trpc = useTRPC();
  const polling = useKeyPolling();
  const query = useQuery({
    ...trpc.admin.keys.fleet.queryOptions(),
    initialData: initial,
    initialDataUpdatedAt: renderedAt,
    refetchInterval: (q) => polling.interval((q.state.data?.inFlight ?? 0) > 0),
  });
  const fleet = query.data;
  const master = fleet.recent.find((r) => r.kind === "master-key" && isInFlight(r.status)) ?? null;
  const finished = useCompletionAnnouncement(master?.id ?? null, (id) => {
    const op = fleet.recent.find((r) => r.id === id);
    return op ? t("rewrapFinished", { status: f.status(op.status) }) : null;
  });

  return (
    <div className="flex flex-col gap-10">
      <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="fleet-announcer">
        {finished}
      </div>
      {fleet.inFlight > 0 ? <PollControl paused={polling.paused} onToggle={polling.toggle} failed={query.isError} /> : null}
      <AgeBuckets fleet={fleet} />
      <MasterKeys fleet={fleet} running={master !== null} />
      <RotateAllSection />
      <section aria-labelledby="fleet-ops-title" className="flex flex-col gap-4">
        <h2 id="fleet-ops-title" className="text-xl font-semibold">
          {t("opsTitle")}
        </h2>
        <dl className="grid max-w-xl gap-4 sm:grid-cols-2">
          <Figure label={t("inFlight")} testId="fleet-in-flight">
            {f.number(fleet.inFlight)}
          </Figure>
          <Figure label={t("failed30")} testId="fleet-failed">
            <span className={fleet.failedLast30Days > 0 ? "text-danger" : undefined}>{f.number(fleet.failedLast30Days)}</span>
          </Figure>
        </dl>
        <h3 className="text-lg font-semibold">{t("recentTitle")}</h3>
        {fleet.recent.length === 0 ? <p className="text-muted-fg">{t("recentEmpty")}</p> : <OperationTable operations={fleet.recent} caption={t("recentCaption")} showTenant />}
      </section>
    </div>
  );
};
