"use client";

import { Command as CommandPrimitive } from "cmdk";
import { Search } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

/*
 * A command menu on cmdk: a combobox input over a listbox of grouped options,
 * with arrow keys, Home/End and Enter handled by cmdk. Styled like the other
 * primitives; put it inside a DialogContent for a palette.
 */

export const Command = ({ className, ...props }: ComponentProps<typeof CommandPrimitive>) => (
  <CommandPrimitive className={cn("flex h-full w-full flex-col overflow-hidden rounded-lg bg-bg text-fg", className)} {...props} />
);

export const CommandInput = ({ className, ...props }: ComponentProps<typeof CommandPrimitive.Input>) => (
  <div className="flex items-center gap-2 border-b border-border px-3">
    <Search aria-hidden="true" className="size-4 shrink-0 text-muted-fg" />
    <CommandPrimitive.Input
      className={cn("h-12 w-full bg-transparent text-sm text-fg outline-none placeholder:text-muted-fg disabled:cursor-not-allowed disabled:opacity-60", className)}
      {...props}
    />
  </div>
);

export const CommandList = ({ className, ...props }: ComponentProps<typeof CommandPrimitive.List>) => (
  <CommandPrimitive.List className={cn("max-h-[min(60vh,28rem)] overflow-y-auto overflow-x-hidden p-1", className)} {...props} />
);

export const CommandEmpty = ({ className, ...props }: ComponentProps<typeof CommandPrimitive.Empty>) => (
  <CommandPrimitive.Empty className={cn("px-3 py-6 text-center text-sm text-muted-fg", className)} {...props} />
);

export const CommandLoading = CommandPrimitive.Loading;

export const CommandGroup = ({ className, ...props }: ComponentProps<typeof CommandPrimitive.Group>) => (
  <CommandPrimitive.Group
    className={cn("p-1 text-fg [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:text-muted-fg", className)}
    {...props}
  />
);

export const CommandItem = ({ className, ...props }: ComponentProps<typeof CommandPrimitive.Item>) => (
  <CommandPrimitive.Item
    className={cn(
      "flex cursor-pointer select-none items-center gap-2 rounded-md px-2 py-2 text-sm outline-none data-[disabled=true]:pointer-events-none data-[selected=true]:bg-surface data-[selected=true]:text-fg data-[disabled=true]:opacity-50 [&_svg]:size-4 [&_svg]:shrink-0",
      className,
    )}
    {...props}
  />
);

export const CommandSeparator = ({ className, ...props }: ComponentProps<typeof CommandPrimitive.Separator>) => (
  <CommandPrimitive.Separator className={cn("-mx-1 my-1 h-px bg-border", className)} {...props} />
);
