"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { useTRPC } from "~/trpc/react";
import { RollbackButton, RotateButton } from "./key-actions";
import { isInFlight, useKeyFormat, type KeyStatus } from "./key-format";
import { KeyVersionsTable } from "./key-versions-table";
import { OperationTable } from "./operation-table";
import { CurrentOperation, PollControl } from "./rotation-progress";
import { useCompletionAnnouncement, useKeyPolling } from "./use-key-polling";

const VERSIONS_HEADING = "keys-versions-title";

const Fact = ({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) => (
  <div className={`flex flex-col gap-1 rounded-lg border border-border p-4 ${className}`}>
    <dt className="text-sm text-muted-fg">{label}</dt>
    <dd className="text-lg font-semibold">{children}</dd>
  </div>
);

const Summary = ({ status }: { status: KeyStatus }) => {
  const t = useTranslations("keys");
  const f = useKeyFormat();
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Fact label={t("activeVersion")}>
        <span data-testid="active-version">{status.activeVersion === null ? t("noActiveKey") : t("versionValue", { version: status.activeVersion })}</span>
      </Fact>
      <Fact label={t("activeSince")}>{status.activeSince ? <time dateTime={status.activeSince.toISOString()}>{f.dateTime(status.activeSince)}</time> : "—"}</Fact>
      <Fact label={t("policy")}>{t("policyValue", { days: status.policyDays })}</Fact>
      <Fact label={t("nextRotation")}>{status.nextRotationDue ? <time dateTime={status.nextRotationDue.toISOString()}>{f.date(status.nextRotationDue)}</time> : "—"}</Fact>
      <Fact label={t("deletionKey")} className="sm:col-span-2 lg:col-span-4">
        <span data-testid="deletion-key">{status.deletionKey.vault === "none" ? t("deletionKeyNone") : status.deletionKey.covered ? t(status.deletionKey.vault === "vault" ? "deletionKeyVault" : "deletionKeyFile") : t("deletionKeyPending")}</span>
      </Fact>
    </dl>
  );
};

/**
 * /t/<slug>/settings/security: the workspace's data keys, the operation in
 * progress (polled every 2 s only while one runs), owners' rotate / roll back /
 * destroy, and the history. Admins see everything and change nothing.
 */
export const SecurityView = ({ tenantSlug, isOwner, initial, renderedAt }: { tenantSlug: string; isOwner: boolean; initial: KeyStatus; renderedAt: number }) => {
  const t = useTranslations("keys");
  const f = useKeyFormat();
  const trpc = useTRPC();
  const polling = useKeyPolling();
  const query = useQuery({
    ...trpc.keys.status.queryOptions({ tenantSlug }),
    initialData: initial,
    initialDataUpdatedAt: renderedAt,
    refetchInterval: (q) => polling.interval(isInFlight(q.state.data?.current?.status)),
  });
  const status = query.data;
  const running = isInFlight(status.current?.status);
  const [destroyed, setDestroyed] = useState("");
  const finished = useCompletionAnnouncement(running ? status.current!.id : null, (id) => {
    const op = status.history.find((h) => h.id === id);
    return op ? t("announceDone", { kind: f.kind(op.kind), status: f.status(op.status) }) : null;
  });

  return (
    <div className="flex flex-col gap-10">
      {/* Polite live regions, present from the first render: an operation finishing, a version destroyed. */}
      <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="keys-announcer">
        {finished}
      </div>
      <div role="status" aria-live="polite" aria-atomic="true" className="sr-only">
        {destroyed}
      </div>

      <section aria-labelledby="keys-title" className="flex flex-col gap-4">
        <h2 id="keys-title" className="text-xl font-semibold">
          {t("keysTitle")}
        </h2>
        <p className="max-w-3xl text-sm text-muted-fg">{t("explainer")}</p>
        <Summary status={status} />
      </section>

      <section aria-labelledby="keys-current-title" className="flex flex-col gap-4">
        <h2 id="keys-current-title" className="text-xl font-semibold">
          {t("currentTitle")}
        </h2>
        {running ? <PollControl paused={polling.paused} onToggle={polling.toggle} failed={query.isError} /> : null}
        <CurrentOperation op={status.current} />
        {isOwner ? (
          <div className="flex flex-wrap items-start gap-4">
            <RotateButton tenantSlug={tenantSlug} canRotate={status.canRotate} rollbackWindowHours={status.rollbackWindowHours} />
            <RollbackButton tenantSlug={tenantSlug} canRollback={status.canRollback} running={running} />
          </div>
        ) : (
          <Alert variant="info">{t("ownersOnly")}</Alert>
        )}
      </section>

      <section aria-labelledby={VERSIONS_HEADING} className="flex flex-col gap-4">
        <h2 id={VERSIONS_HEADING} tabIndex={-1} className="text-xl font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring">
          {t("versionsTitle")}
        </h2>
        {status.versions.length === 0 ? (
          <p className="text-muted-fg">{t("noVersions")}</p>
        ) : (
          <KeyVersionsTable
            versions={status.versions}
            now={query.dataUpdatedAt}
            isOwner={isOwner}
            tenantSlug={tenantSlug}
            focusAfterId={VERSIONS_HEADING}
            onDestroyed={(version) => setDestroyed(t("destroyedAnnouncement", { version }))}
          />
        )}
      </section>

      <section aria-labelledby="keys-history-title" className="flex flex-col gap-4">
        <h2 id="keys-history-title" className="text-xl font-semibold">
          {t("historyTitle")}
        </h2>
        {status.history.length === 0 ? <p className="text-muted-fg">{t("historyEmpty")}</p> : <OperationTable operations={status.history} caption={t("historyCaption")} />}
      </section>
    </div>
  );
};
