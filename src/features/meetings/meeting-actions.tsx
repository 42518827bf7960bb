"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, Download, RotateCcw } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Button } from "~/components/ui/button";
import { useFeatureErrorMessage } from "~/components/forms/field-errors";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useTRPC } from "~/trpc/react";

/** Refreshes the meeting's query (and the list) after an action changed it. */
export const useInvalidateMeeting = () => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.meeting.get.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.meeting.list.pathKey() }),
    ]);
};

export const CancelMeetingButton = ({ tenantSlug, id, title }: { tenantSlug: string; id: string; title: string }) => {
  const t = useTranslations("meetings.actions");
  const trpc = useTRPC();
  const confirm = useConfirmAction(useFeatureErrorMessage("meetings.reasons"));
  const invalidate = useInvalidateMeeting();
  const cancel = useMutation(trpc.meeting.cancel.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <Ban aria-hidden="true" />
          {t("cancel")}
        </>
      }
      title={t("cancelTitle", { title })}
      description={t("cancelBody")}
      confirmLabel={t("cancelConfirm")}
      onConfirm={confirm(async () => {
        await cancel.mutateAsync({ tenantSlug, id });
        await invalidate();
      })}
    />
  );
};

export const ResumeMeetingButton = ({ tenantSlug, id }: { tenantSlug: string; id: string }) => {
  const t = useTranslations("meetings.actions");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const invalidate = useInvalidateMeeting();
  const errorMessage = useFeatureErrorMessage("meetings.reasons");
  const [error, setError] = useState<string | null>(null);
  const resume = useMutation(
    trpc.meeting.resume.mutationOptions({
      onSuccess: () => void invalidate(),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        disabled={resume.isPending}
        onClick={() => {
          setError(null);
          resume.mutate({ tenantSlug, id });
        }}
      >
        <RotateCcw aria-hidden="true" />
        {resume.isPending ? tc("working") : t("resume")}
      </Button>
      {error ? (
        <p role="alert" className="max-w-xs text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
};

/**
 * Minutes as a Markdown file: fetched through the `meeting.minutes` query and
 * handed to the browser as a Blob download (no server route needed).
 */
export const ExportMinutesButton = ({ tenantSlug, id }: { tenantSlug: string; id: string }) => {
  const t = useTranslations("meetings.actions");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useFeatureErrorMessage("meetings.reasons");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setPending(true);
    setError(null);
    try {
      const { markdown, filename } = await queryClient.fetchQuery({ ...trpc.meeting.minutes.queryOptions({ tenantSlug, id }), staleTime: 0 });
      const url = URL.createObjectURL(new Blob([markdown], { type: "text/markdown;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      // Revoked after the click has handed the file to the browser.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="flex flex-col items-start gap-1">
      <Button variant="secondary" size="sm" disabled={pending} onClick={() => void download()}>
        <Download aria-hidden="true" />
        {pending ? tc("working") : t("exportMinutes")}
      </Button>
      {error ? (
        <p role="alert" className="max-w-xs text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
};
