"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "~/components/ui/dialog";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useTRPC } from "~/trpc/react";
import { useKeyAction } from "./key-actions";

/** What the owner types (services/key-rotation/key-destroy.ts: `destroy v<n>`); the server checks it again. */
const destroyConfirmation = (version: number) => `destroy v${version}`;

/**
 * "Destroy" for a retired version past its waiting period: crypto-shredding,
 * irreversible, behind a typed confirmation. The trigger's row turns
 * "destroyed" and loses the button, so after success focus goes to
 * `focusAfterId` (the versions heading) instead of a trigger that is gone.
 */
export const DestroyKeyDialog = ({ tenantSlug, version, focusAfterId, onDestroyed }: { tenantSlug: string; version: number; focusAfterId: string; onDestroyed: (version: number) => void }) => {
  const t = useTranslations("keys");
  const tc = useTranslations("common");
  const id = useId();
  const trpc = useTRPC();
  const run = useKeyAction(tenantSlug);
  const destroy = useMutation(trpc.keys.destroy.mutationOptions());
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);
  const expected = destroyConfirmation(version);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    const message = await run(() => destroy.mutateAsync({ tenantSlug, version, confirmation: typed }))();
    if (message) return setError(message);
    done.current = true;
    setOpen(false);
    onDestroyed(version);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setError(null);
          setTyped("");
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="danger" size="sm" aria-label={t("destroyLabel", { version })}>
          <Trash2 aria-hidden="true" />
          {t("destroy")}
        </Button>
      </DialogTrigger>
      <DialogContent
        onCloseAutoFocus={(e) => {
          if (!done.current) return;
          e.preventDefault();
          document.getElementById(focusAfterId)?.focus();
        }}
      >
        <DialogTitle>{t("destroyTitle", { version })}</DialogTitle>
        <DialogDescription>{t("destroyBody", { version })}</DialogDescription>
        <p className="mt-3 text-sm font-medium text-danger">{t("destroyBackups")}</p>
        <form className="mt-4 flex flex-col gap-4" onSubmit={submit}>
          <Field>
            <Label htmlFor={`${id}-confirm`}>{t("destroyTypeLabel", { text: expected })}</Label>
            <Input
              id={`${id}-confirm`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={40}
              aria-describedby={`${id}-hint`}
            />
            <FieldHint id={`${id}-hint`}>{t("destroyTypeHint")}</FieldHint>
          </Field>
          <FormError message={error} />
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">{tc("cancel")}</Button>
            </DialogClose>
            <Button type="submit" variant="danger" disabled={destroy.isPending || typed.trim() !== expected}>
              {destroy.isPending ? tc("working") : t("destroyConfirm", { version })}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
};
