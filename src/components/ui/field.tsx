import type { ReactNode } from "react";
import { cn } from "~/lib/cn";

/** Layout for one labelled control with an optional hint (wire the hint with aria-describedby). */
export const Field = ({ className, children }: { className?: string; children: ReactNode }) => (
  <div className={cn("flex flex-col gap-1.5", className)}>{children}</div>
);

export const FieldHint = ({ id, children }: { id: string; children: ReactNode }) => (
  <p id={id} className="text-xs text-muted-fg">
    {children}
  </p>
);
