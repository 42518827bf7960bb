"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { StatusBadge } from "~/components/ui/status-badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { LIVE_POLL_MS } from "~/lib/live-poll";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

/*
 * Data exports of one workspace (issue 16), shared by the privacy centre's workspace export
 * (features/privacy/export-panel) and the account page's "export my data" (features/account):
 * a request button, the exports with their progress (polled while one is being built), size,
 * dates and a download button that asks for a fresh signed link and follows it.
 */

type DataExport = RouterOutputs["dataExport"]["list"][number];
export type DataExportScope = DataExport["scope"];

const VARIANTS = { queued: "neutral", running: "accent", ready: "success", failed: "danger", expired: "neutral" } as const;
const isActive = (x: DataExport) => x.status === "queued" || x.status === "running";

const useFormatBytes = () => {
  const format = useFormatter();
  return (n: number) => format.number(n / 1_048_576, { maximumFractionDigits: n < 1_048_576 ? 2 : 1 }) + " MB";
};

const DownloadButton = ({ tenantSlug, exportId, onError }: { tenantSlug: string; exportId: string; onError: (message: string) => void }) => {
  const t = useTranslations("privacyExport");
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const link = useMutation(
    trpc.dataExport.link.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (err) => onError(errorMessage(err)),
    }),
  );
  return (
    <Button size="sm" variant="secondary" data-testid="data-export-download" disabled={link.isPending} onClick={() => link.mutate({ tenantSlug, exportId })}>
      {link.isPending ? t("downloading") : t("download")}
    </Button>
  );
};

const ExportRow = ({ tenantSlug, x, onError }: { tenantSlug: string; x: DataExport; onError: (message: string) => void }) => {
  const t = useTranslations("privacyExport");
  const tErrors = useTranslations("errors");
  const format = useFormatter();
  const bytes = useFormatBytes();
  const failure = x.errorReason && tErrors.has(x.errorReason as "generic") ? tErrors(x.errorReason as "generic") : tErrors("exportFailed");
  return (
    <tr data-testid="data-export-row" data-status={x.status} data-scope={x.scope}>
      <Td>
        <time dateTime={x.createdAt.toISOString()}>{format.dateTime(x.createdAt, "short")}</time>
      </Td>
      <Td>{t(`scope.${x.scope}`)}</Td>
      <Td>
        <div className="flex flex-col gap-1">
          <StatusBadge status={x.status} variants={VARIANTS} label={t(`status.${x.status}`)} testId="data-export-status" />
          {isActive(x) && x.progressTotal > 0 && (
            <span className="text-xs tabular-nums text-muted-fg" data-testid="data-export-progress">
              {t("progress", { done: x.progressDone, total: x.progressTotal })}
            </span>
          )}
          {x.status === "failed" && <span className="text-xs text-danger">{`${failure} ${t("failedHelp")}`}</span>}
        </div>
      </Td>
      <Td className="tabular-nums">{x.sizeBytes === null ? t("none") : bytes(x.sizeBytes)}</Td>
      <Td>{x.expiresAt && x.status === "ready" ? <time dateTime={x.expiresAt.toISOString()}>{format.dateTime(x.expiresAt, "short")}</time> : t("none")}</Td>
      <Td>{x.status === "ready" ? <DownloadButton tenantSlug={tenantSlug} exportId={x.id} onError={onError} /> : null}</Td>
    </tr>
  );
};

/** The request button and the list of exports of `scope` the caller may see in this workspace. */
export const DataExports = ({ tenantSlug, scope, headingId }: { tenantSlug: string; scope: DataExportScope; headingId: string }) => {
  const t = useTranslations("privacyExport");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const listKey = trpc.dataExport.list.queryOptions({ tenantSlug });
  const { data = [], isError } = useQuery({
    ...listKey,
    refetchInterval: (query) => (query.state.data?.some(isActive) ? LIVE_POLL_MS : false),
  });
  const request = useMutation(
    trpc.dataExport.request.mutationOptions({
      onSuccess: async () => {
        setError(null);
        setNotice(t("requested"));
        await queryClient.invalidateQueries({ queryKey: listKey.queryKey });
      },
      onError: (err) => {
        setNotice(null);
        setError(errorMessage(err));
      },
    }),
  );
  const rows = data.filter((x) => x.scope === scope);
  const busy = rows.some(isActive);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button data-testid="data-export-request" disabled={request.isPending || busy} onClick={() => request.mutate({ tenantSlug, scope })}>
          {request.isPending ? t("requesting") : t(scope === "workspace" ? "requestWorkspace" : "requestUser")}
        </Button>
        <p role="status" className="text-sm text-muted-fg">
          {notice}
        </p>
      </div>
      <FormError message={error} />
      {/* Inside a card titled by an h2: the list's own heading is an h3 (ListSection's is an h2). */}
      <section aria-labelledby={headingId} className="flex flex-col gap-3">
        <h3 id={headingId} className="font-semibold">
          {t("listTitle")}
        </h3>
        {isError && (
          <p role="alert" className="text-sm text-danger">
            {t("loadFailed")}
          </p>
        )}
        {rows.length === 0 ? <p className="text-sm text-muted-fg">{t("empty")}</p> : <ExportTable tenantSlug={tenantSlug} rows={rows} onError={setError} />}
      </section>
    </div>
  );
};

const ExportTable = ({ tenantSlug, rows, onError }: { tenantSlug: string; rows: DataExport[]; onError: (message: string) => void }) => {
  const t = useTranslations("privacyExport");
  return (
        <Table>
          <caption className="sr-only">{t("caption")}</caption>
          <THead>
            <tr>
              <Th>{t("created")}</Th>
              <Th>{t("scopeColumn")}</Th>
              <Th>{t("statusColumn")}</Th>
              <Th>{t("size")}</Th>
              <Th>{t("expires")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </tr>
          </THead>
          <tbody>
            {rows.map((x) => (
              <ExportRow key={x.id} tenantSlug={tenantSlug} x={x} onError={onError} />
            ))}
          </tbody>
        </Table>
  );
};
