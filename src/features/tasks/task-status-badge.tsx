"use client";

import { useTranslations } from "next-intl";
import { Badge } from "~/components/ui/badge";
import { statusKey, TASK_STATUS_VARIANTS, type TaskStatus } from "./status";

export const TaskStatusBadge = ({ status }: { status: string }) => {
  const t = useTranslations("tasks.status");
  const key = statusKey(status);
  return (
    <Badge variant={TASK_STATUS_VARIANTS[status as TaskStatus] ?? "neutral"} data-testid="task-status" data-status={status}>
      {t.has(key) ? t(key as "queued") : status}
    </Badge>
  );
};
