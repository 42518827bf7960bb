"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, RefreshCw, Trash2 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Badge } from "~/components/ui/badge";
import { Button, buttonVariants } from "~/components/ui/button";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { documentOriginalUrl } from "~/lib/document-urls";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { useFormatBytes } from "./format-bytes";

type DocumentList = RouterOutputs["knowledge"]["list"];
type DocumentItem = DocumentList["items"][number];
type Usage = RouterOutputs["knowledge"]["usage"];

/** While any document is being ingested the list polls; once all are settled it stops. */
const POLL_MS = 2_000;
const isBusy = (d: Pick<DocumentItem, "status">) => d.status === "queued" || d.status === "processing";

const STATUS_VARIANTS = { queued: "neutral", processing: "accent", ready: "success", failed: "danger" } as const;

/** Whether the list and usage queries should be refreshed now (after an upload, delete or re-index). */
const useInvalidateKnowledge = () => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.knowledge.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.knowledge.usage.pathKey() }),
    ]);
};

export const UsageBar = ({ tenantSlug, initial }: { tenantSlug: string; initial: Usage }) => {
  const t = useTranslations("knowledge.usage");
  const trpc = useTRPC();
  const formatBytes = useFormatBytes();
  const format = useFormatter();
  const { data = initial } = useQuery({ ...trpc.knowledge.usage.queryOptions({ tenantSlug }), initialData: initial });
  const ratio = data.quotaBytes > 0 ? Math.min(1, data.usedBytes / data.quotaBytes) : 0;
  const values = { used: formatBytes(data.usedBytes), quota: formatBytes(data.quotaBytes), percent: format.number(ratio, { style: "percent", maximumFractionDigits: 0 }) };
  return (
    <div className="flex max-w-xl flex-col gap-2" data-testid="storage-usage">
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <span id="knowledge-usage-label" className="font-medium">
          {t("label")}
        </span>
        <span className="tabular-nums text-muted-fg">
          {t("summary", values)} · {t("documents", { count: data.documentCount })}
        </span>
      </div>
      <div
        role="meter"
        aria-labelledby="knowledge-usage-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(ratio * 100)}
        aria-valuetext={t("summary", values)}
        className="h-2 w-full overflow-hidden rounded-full bg-surface ring-1 ring-border"
      >
        <div className={ratio >= 0.9 ? "h-full bg-danger" : "h-full bg-accent"} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
};

const StatusBadge = ({ doc }: { doc: DocumentItem }) => {
  const t = useTranslations("knowledge.status");
  const te = useTranslations("errors");
  const reason = doc.status === "failed" ? (doc.errorReason && te.has(doc.errorReason as "generic") ? te(doc.errorReason as "generic") : t("failedUnknown")) : null;
  return (
    <span className="flex flex-col items-start gap-1" data-testid="document-status" data-status={doc.status}>
      <Badge variant={STATUS_VARIANTS[doc.status]}>{t(doc.status)}</Badge>
      {reason ? <span className="max-w-xs text-xs text-danger">{reason}</span> : null}
    </span>
  );
};

const ReindexButton = ({ tenantSlug, doc }: { tenantSlug: string; doc: DocumentItem }) => {
  const t = useTranslations("knowledge.list");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const tt = useTranslations("toast");
  const invalidate = useInvalidateKnowledge();
  const feedback = useMutationFeedback({ success: tt("reindexStarted") });
  const reindex = useMutation(
    trpc.knowledge.reindex.mutationOptions({
      onSuccess: () => {
        feedback.handlers.onSuccess();
        void invalidate();
      },
      onError: feedback.handlers.onError,
    }),
  );
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        size="sm"
        disabled={reindex.isPending || isBusy(doc)}
        aria-label={t("reindexLabel", { title: doc.title })}
        onClick={() => {
          feedback.clearError();
          reindex.mutate({ tenantSlug, id: doc.id });
        }}
      >
        <RefreshCw aria-hidden="true" />
        {reindex.isPending ? tc("working") : t("reindex")}
      </Button>
      {feedback.error ? (
        <p role="alert" className="max-w-xs text-xs text-danger">
          {feedback.error}
        </p>
      ) : null}
    </div>
  );
};

const DeleteButton = ({ tenantSlug, doc }: { tenantSlug: string; doc: DocumentItem }) => {
  const t = useTranslations("knowledge.list");
  const tt = useTranslations("toast");
  const trpc = useTRPC();
  const confirm = useConfirmAction(undefined, { success: tt("documentDeleted") });
  const invalidate = useInvalidateKnowledge();
  const remove = useMutation(trpc.knowledge.delete.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <Trash2 aria-hidden="true" />
          {t("delete")}
        </>
      }
      triggerLabel={t("deleteLabel", { title: doc.title })}
      title={t("deleteTitle", { title: doc.title })}
      description={t("deleteBody")}
      confirmLabel={t("deleteConfirm")}
      onConfirm={confirm(async () => {
        await remove.mutateAsync({ tenantSlug, id: doc.id });
        await invalidate();
      })}
    />
  );
};

export const DocumentsList = ({ tenantSlug, initial, canWrite }: { tenantSlug: string; initial: DocumentList; canWrite: boolean }) => {
  const t = useTranslations("knowledge.list");
  const tk = useTranslations("knowledge.kinds");
  const trpc = useTRPC();
  const format = useFormatter();
  const formatBytes = useFormatBytes();
  const { data = initial, isError } = useQuery({
    ...trpc.knowledge.list.queryOptions({ tenantSlug }),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.items.some(isBusy) ? POLL_MS : false),
  });
  const busy = data.counts.queued + data.counts.processing;

  return (
    <section aria-labelledby="knowledge-list-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="knowledge-list-title" className="text-xl font-semibold">
          {t("title")}
        </h2>
        <p className="text-sm text-muted-fg" role="status" data-testid="documents-summary">
          {t("summary", { total: data.counts.total, ready: data.counts.ready, busy, failed: data.counts.failed })}
        </p>
      </div>
      {isError ? (
        <p role="alert" className="text-sm text-danger">
          {t("loadFailed")}
        </p>
      ) : null}
      {data.items.length === 0 ? (
        <p className="text-muted-fg">{canWrite ? t("empty") : t("emptyViewer")}</p>
      ) : (
        <Table>
          <caption className="sr-only">{t("caption")}</caption>
          <THead>
            <tr>
              <Th>{t("document")}</Th>
              <Th>{t("kind")}</Th>
              <Th>{t("size")}</Th>
              <Th>{t("pages")}</Th>
              <Th>{t("chunks")}</Th>
              <Th>{t("uploadedBy")}</Th>
              <Th>{t("uploadedAt")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("actions")}</Th>
            </tr>
          </THead>
          <tbody>
            {data.items.map((doc) => (
              <tr key={doc.id} id={`document-${doc.id}`} tabIndex={-1} data-testid="document-row" data-title={doc.title} className="target:bg-accent-soft">
                <Td>
                  <span className="block break-words font-medium">{doc.title}</span>
                  {doc.filename !== doc.title ? <span className="block break-all text-xs text-muted-fg">{doc.filename}</span> : null}
                </Td>
                <Td>{tk.has(doc.kind) ? tk(doc.kind) : doc.kind}</Td>
                <Td className="tabular-nums">{formatBytes(doc.sizeBytes)}</Td>
                <Td className="tabular-nums">{doc.pageCount ?? <span className="text-muted-fg">{t("notApplicable")}</span>}</Td>
                <Td className="tabular-nums">{doc.status === "ready" ? format.number(doc.chunkCount) : <span className="text-muted-fg">{t("notApplicable")}</span>}</Td>
                <Td>{doc.uploadedBy?.name ?? <span className="text-muted-fg">{t("unknownUploader")}</span>}</Td>
                <Td>
                  <time dateTime={doc.createdAt.toISOString()}>{format.dateTime(doc.createdAt, "short")}</time>
                </Td>
                <Td>
                  <StatusBadge doc={doc} />
                </Td>
                <Td>
                  <div className="flex flex-wrap items-start gap-2">
                    <a
                      href={documentOriginalUrl(tenantSlug, doc.id)}
                      download
                      className={buttonVariants({ variant: "secondary", size: "sm" })}
                      aria-label={t("downloadLabel", { title: doc.title })}
                    >
                      <Download aria-hidden="true" />
                      {t("download")}
                    </a>
                    {canWrite ? <ReindexButton tenantSlug={tenantSlug} doc={doc} /> : null}
                    {doc.canDelete ? <DeleteButton tenantSlug={tenantSlug} doc={doc} /> : null}
                  </div>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {data.nextCursor ? <p className="text-sm text-muted-fg">{t("moreNotShown", { shown: data.items.length, total: data.counts.total })}</p> : null}
    </section>
  );
};
