"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";

/**
 * A button opening a dialog that asks why (a required reason, 3–500
 * characters) before a consequential admin action. `onSubmit` returns an
 * error message to show, or null to close. `variant` is "danger" for actions
 * that take something away, "primary" for ones that hand out power.
 */
export const ReasonDialog = ({
  trigger,
  title,
  description,
  confirmLabel,
  onSubmit,
  variant = "danger",
}: {
  trigger: ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  onSubmit: (reason: string) => Promise<string | null>;
  variant?: "danger" | "primary";
}) => {
  const t = useTranslations("admin");
  const tc = useTranslations("common");
  const id = useId();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    const message = await onSubmit(String(new FormData(e.currentTarget).get("reason") ?? "").trim());
    setPending(false);
    if (message) setError(message);
    else setOpen(false);
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
        <Button variant={variant}>{trigger}</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
        <form className="mt-4 flex flex-col gap-4" onSubmit={submit}>
          <Field>
            <Label htmlFor={`${id}-reason`}>{t("reasonLabel")}</Label>
            <Input id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} autoComplete="off" />
          </Field>
          <FormError message={error} />
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">{tc("cancel")}</Button>
            </DialogClose>
            <Button type="submit" variant={variant} disabled={pending}>
              {pending ? tc("working") : confirmLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
};
