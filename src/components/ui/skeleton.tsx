import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

/** A grey placeholder block; pulses only when the user has not asked for reduced motion. Hidden from assistive technology. */
export const Skeleton = ({ className, ...props }: ComponentProps<"div">) => (
  <div aria-hidden="true" className={cn("rounded-md bg-border/60 motion-safe:animate-pulse", className)} {...props} />
);
