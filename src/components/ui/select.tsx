import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

/**
 * A styled native <select>: accessible and keyboard friendly with no extra code.
 * `max-w-full`: a native select is as wide as its longest option (a job id, a
 * tenant id) and would push a 360 px page sideways; capped, it truncates the
 * closed label and the open list still shows every option in full.
 */
export const selectVariants = cva(
  "block max-w-full rounded-md border border-border-strong bg-bg pl-3 pr-8 text-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-60",
  {
    variants: { size: { sm: "h-8 text-sm", md: "h-10 text-sm" } },
    defaultVariants: { size: "md" },
  },
);

export type SelectProps = Omit<ComponentProps<"select">, "size"> & VariantProps<typeof selectVariants>;

export const Select = ({ className, size, ...props }: SelectProps) => <select className={cn(selectVariants({ size }), className)} {...props} />;
