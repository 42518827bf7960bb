"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
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

export const MAX_TITLE_CHARS = 120;

/** Rename a conversation in a dialog (Radix returns focus to the button when it closes). */
export const RenameConversationButton = ({ tenantSlug, id, title, onRenamed }: { tenantSlug: string; id: string; title: string; onRenamed: (title: string) => void }) => {
  const t = useTranslations("chat");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rename = useMutation(trpc.chat.rename.mutationOptions());

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = String(new FormData(e.currentTarget).get("title") ?? "").trim();
    if (!next) return;
    setError(null);
    rename.mutate(
      { tenantSlug, id, title: next },
      {
        onSuccess: (data) => {
          onRenamed(data.title);
          void queryClient.invalidateQueries({ queryKey: trpc.chat.list.pathKey() });
          setOpen(false);
        },
        onError: (err) => setError(errorMessage(err)),
      },
    );
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={t("renameLabel", { title })}>
          <Pencil aria-hidden="true" />
          {t("rename")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>{t("renameTitle")}</DialogTitle>
        <DialogDescription className="sr-only">{t("renameLabel", { title })}</DialogDescription>
        <form className="mt-4 flex flex-col gap-4" onSubmit={onSubmit}>
          <Field>
            <Label htmlFor="conversation-title">{t("renameField")}</Label>
            <Input id="conversation-title" name="title" defaultValue={title} required maxLength={MAX_TITLE_CHARS} autoComplete="off" />
          </Field>
          <FormError message={error} />
          <DialogFooter className="mt-0">
            <DialogClose asChild>
              <Button variant="secondary">{tc("cancel")}</Button>
            </DialogClose>
            <Button type="submit" disabled={rename.isPending}>
              {rename.isPending ? tc("working") : t("save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
};

/** Delete a conversation after confirmation, then go back to the chat start page. */
export const DeleteConversationButton = ({ tenantSlug, id, title }: { tenantSlug: string; id: string; title: string }) => {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const confirm = useConfirmAction();
  const remove = useMutation(trpc.chat.delete.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <Trash2 aria-hidden="true" />
          {t("delete")}
        </>
      }
      triggerLabel={t("deleteLabel", { title })}
      title={t("deleteTitle", { title })}
      description={t("deleteBody")}
      confirmLabel={t("deleteConfirm")}
      onConfirm={confirm(
        () => remove.mutateAsync({ tenantSlug, id }),
        () => {
          void queryClient.invalidateQueries({ queryKey: trpc.chat.list.pathKey() });
          queryClient.removeQueries({ queryKey: trpc.chat.get.queryKey({ tenantSlug, id }) });
          router.replace(`/t/${tenantSlug}/chat`);
        },
      )}
    />
  );
};
