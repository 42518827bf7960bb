import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

export const alertVariants = cva("rounded-md border px-4 py-3 text-sm", {
  variants: {
    variant: {
      info: "border-border bg-surface text-fg",
      success: "border-success/30 bg-success-soft text-success",
      warning: "border-warning/30 bg-warning-soft text-warning",
      danger: "border-danger/30 bg-danger-soft text-danger",
    },
  },
  defaultVariants: { variant: "info" },
});

export type AlertProps = ComponentProps<"div"> & VariantProps<typeof alertVariants>;

/** A message block. Pass role="alert" for errors that must be announced, role="status" for polite updates. */
export const Alert = ({ className, variant, ...props }: AlertProps) => <div className={cn(alertVariants({ variant }), className)} {...props} />;
export const AlertTitle = ({ className, ...props }: ComponentProps<"p">) => <p className={cn("font-semibold", className)} {...props} />;

/** A form's error message, announced to screen readers; renders nothing without a message. */
export const FormError = ({ message, id, className }: { message: string | null | undefined; id?: string; className?: string }) =>
  message ? (
    <Alert id={id} variant="danger" role="alert" className={className}>
      {message}
    </Alert>
  ) : null;
