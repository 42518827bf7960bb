import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";
import { ScrollRegion } from "./scroll-region";

export const Table = ({ className, ...props }: ComponentProps<"table">) => (
  <ScrollRegion className="w-full rounded-lg border border-border">
    <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
  </ScrollRegion>
);
export const THead = ({ className, ...props }: ComponentProps<"thead">) => <thead className={cn("bg-surface", className)} {...props} />;
export const Th = ({ className, ...props }: ComponentProps<"th">) => (
  <th scope="col" className={cn("border-b border-border px-4 py-2 font-semibold text-fg", className)} {...props} />
);
export const Td = ({ className, ...props }: ComponentProps<"td">) => <td className={cn("border-b border-border px-4 py-3 align-middle", className)} {...props} />;
