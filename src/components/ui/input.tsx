import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

export const inputVariants = cva(
  "block w-full rounded-md border border-border-strong bg-bg px-3 text-fg placeholder:text-muted-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-60 read-only:bg-surface aria-[invalid=true]:border-danger",
  {
    variants: { size: { sm: "h-8 text-sm", md: "h-10 text-sm" } },
    defaultVariants: { size: "md" },
  },
);

export type InputProps = Omit<ComponentProps<"input">, "size"> & VariantProps<typeof inputVariants>;

export const Input = ({ className, size, ...props }: InputProps) => <input className={cn(inputVariants({ size }), className)} {...props} />;
