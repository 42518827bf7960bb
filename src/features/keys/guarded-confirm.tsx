"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type ReactNode } from "react";
import { FormError } from "~/components/ui/alert";
import { Button, type ButtonProps } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "~/components/ui/dialog";
import { cn } from "~/lib/cn";

/**
 * A key action behind a confirm dialog whose button stays the same element
 * when the action becomes unavailable. Starting an operation makes it
 * unavailable at once (one operation at a time); swapping the button for
 * another element, or setting `disabled`, would drop keyboard focus on the
 * page. So an unavailable action is `aria-disabled` (still focusable, does not
 * open) with the reason shown beside it and tied by aria-describedby.
 * Radix traps focus in the dialog and returns it to this button.
 */
export const GuardedConfirm = ({
  icon,
  label,
  variant = "secondary",
  unavailable,
  title,
  description,
  confirmLabel,
  onConfirm,
}: {
  icon: ReactNode;
  label: string;
  variant?: ButtonProps["variant"];
  /** Why the action cannot run now, or null when it can. */
  unavailable: string | null;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Runs the action; returns an error message to show in the dialog, or null to close it. */
  onConfirm: () => Promise<string | null>;
}) => {
  const tc = useTranslations("common");
  const reasonId = useId();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setPending(true);
    setError(null);
    const message = await onConfirm();
    setPending(false);
    if (message) setError(message);
    else setOpen(false);
  };

  return (
    <div className="flex flex-col items-start gap-1.5">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (next && unavailable) return;
          setOpen(next);
          if (!next) setError(null);
        }}
      >
        <DialogTrigger asChild>
          <Button
            variant={unavailable ? "secondary" : variant}
            aria-disabled={unavailable ? true : undefined}
            aria-describedby={unavailable ? reasonId : undefined}
            className={cn(unavailable && "cursor-not-allowed opacity-60")}
          >
            {icon}
            {label}
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription asChild>
            <div className="flex flex-col gap-2">{description}</div>
          </DialogDescription>
          <FormError message={error} className="mt-4" />
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">{tc("cancel")}</Button>
            </DialogClose>
            <Button variant={variant === "danger" ? "danger" : "primary"} disabled={pending} onClick={() => void confirm()}>
              {pending ? tc("working") : confirmLabel}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      {unavailable ? (
        <p id={reasonId} className="max-w-sm text-sm text-muted-fg">
          {unavailable}
        </p>
      ) : null}
    </div>
  );
};
