import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

/** The multi-line counterpart of the Input component's look. */
const textareaClass =
  "block w-full rounded-md border border-border-strong bg-bg px-3 py-2 text-sm text-fg placeholder:text-muted-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring aria-[invalid=true]:border-danger";

/** A styled native <textarea>; `className` adds to (and may override) the look. */
export const Textarea = ({ className, ...props }: ComponentProps<"textarea">) => <textarea className={cn(textareaClass, className)} {...props} />;
