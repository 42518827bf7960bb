import type { ComponentProps } from "react";
import { Badge } from "./badge";

type BadgeVariant = NonNullable<ComponentProps<typeof Badge>["variant"]>;

/**
 * A record's status as a coloured badge, carrying the raw status in
 * `data-status` (the e2e tests wait on it). A status the `variants` map does
 * not know (a newer server) is shown neutral; the caller passes its label.
 */
export const StatusBadge = ({
  status,
  variants,
  label,
  testId,
}: {
  status: string;
  variants: Readonly<Record<string, BadgeVariant>>;
  label: string;
  testId: string;
}) => (
  <Badge variant={variants[status] ?? "neutral"} data-testid={testId} data-status={status}>
    {label}
  </Badge>
);
