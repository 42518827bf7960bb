import { cva } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "~/lib/cn";

export const cardVariants = cva("rounded-lg border border-border bg-bg shadow-sm");

export const Card = ({ className, ...props }: ComponentProps<"div">) => <div className={cn(cardVariants(), className)} {...props} />;
export const CardHeader = ({ className, ...props }: ComponentProps<"div">) => <div className={cn("flex flex-col gap-1 p-6 pb-4", className)} {...props} />;
export const CardTitle = ({ className, ...props }: ComponentProps<"h2">) => <h2 className={cn("text-lg font-semibold text-fg", className)} {...props} />;
export const CardDescription = ({ className, ...props }: ComponentProps<"p">) => <p className={cn("text-sm text-muted-fg", className)} {...props} />;
export const CardContent = ({ className, ...props }: ComponentProps<"div">) => <div className={cn("p-6 pt-0", className)} {...props} />;
export const CardFooter = ({ className, ...props }: ComponentProps<"div">) => <div className={cn("flex items-center gap-3 p-6 pt-0", className)} {...props} />;
