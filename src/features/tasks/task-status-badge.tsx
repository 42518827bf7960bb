"use client";

import { useTranslations } from "next-intl";
import { StatusBadge } from "~/components/ui/status-badge";
import { statusKey, TASK_STATUS_VARIANTS } from "./status";

export const TaskStatusBadge = ({ status }: { status: string }) => {
  const t = useTranslations("tasks.status");
  const key = statusKey(status);
  return <StatusBadge status={status} variants={TASK_STATUS_VARIANTS} label={t.has(key as "queued") ? t(key as "queued") : status} testId="task-status" />;
};
