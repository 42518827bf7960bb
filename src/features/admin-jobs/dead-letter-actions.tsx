"use client";

import { useMutation } from "@tanstack/react-query";
import { RotateCcw, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

/** Replay (confirm dialog) and Discard (dialog asking for a reason) for one open dead letter. */
export const DeadLetterActions = ({ id }: { id: string }) => {
  const t = useTranslations("adminJobs");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const confirm = useConfirmAction();
  const router = useRouter();
  const trpc = useTRPC();
  const [requested, setRequested] = useState(false);
  const replay = useMutation(trpc.admin.replayDeadLetter.mutationOptions());

  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const discard = useMutation(
    trpc.admin.discardDeadLetter.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        router.refresh();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const onDiscard = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    discard.mutate({ id, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-3">
        <ConfirmDialog
          trigger={
            <>
              <RotateCcw aria-hidden="true" />
              {t("replay")}
            </>
          }
          triggerVariant="primary"
          triggerSize="md"
          title={t("replayTitle")}
          description={t("replayBody")}
          confirmLabel={t("replayConfirm")}
          onConfirm={confirm(() => replay.mutateAsync({ id }), () => setRequested(true))}
        />
        <Dialog
          open={open}
          onOpenChange={(next) => {
            setOpen(next);
            if (!next) setError(null);
          }}
        >
          <DialogTrigger asChild>
            <Button variant="secondary">
              <Trash2 aria-hidden="true" />
              {t("discard")}
            </Button>
          </DialogTrigger>
          <DialogContent>
            <DialogTitle>{t("discardTitle")}</DialogTitle>
            <DialogDescription>{t("discardBody")}</DialogDescription>
            <form className="mt-4 flex flex-col gap-4" onSubmit={onDiscard}>
              <Field>
                <Label htmlFor="discard-reason">{t("discardReasonLabel")}</Label>
                <Input id="discard-reason" name="reason" required minLength={3} maxLength={500} />
              </Field>
              <FormError message={error} />
              <DialogFooter>
                <DialogClose asChild>
                  <Button variant="secondary">{tc("cancel")}</Button>
                </DialogClose>
                <Button type="submit" variant="danger" disabled={discard.isPending}>
                  {discard.isPending ? tc("working") : t("discardConfirm")}
                </Button>
              </DialogFooter>
            </form>
          </DialogContent>
        </Dialog>
      </div>
      <p role="status" className={requested ? "text-sm text-success" : "sr-only"}>
        {requested ? t("replayRequested") : ""}
      </p>
    </div>
  );
};
