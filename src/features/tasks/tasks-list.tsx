"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { ListSection } from "~/components/layout/list-section";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { Link } from "~/i18n/navigation";
import { DATE_ONLY } from "~/lib/date-only";
import { LIVE_POLL_MS } from "~/lib/live-poll";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { isTaskActive } from "./status";
import { TaskStatusBadge } from "./task-status-badge";

type TaskList = RouterOutputs["task"]["list"];

/** The workspace's tasks; polls while any is queued or running (queue positions move too). */
export const TasksList = ({ tenantSlug, initial, canWrite, personaNames }: { tenantSlug: string; initial: TaskList; canWrite: boolean; personaNames: Record<string, string> }) => {
  const t = useTranslations("tasks.list");
  const trpc = useTRPC();
  const format = useFormatter();
  const { data = initial, isError } = useQuery({
    ...trpc.task.list.queryOptions({ tenantSlug }),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.items.some((task) => isTaskActive(task.status)) ? LIVE_POLL_MS * 2 : false),
  });

  return (
    <ListSection
      id="tasks-list-title"
      title={t("title")}
      error={isError ? t("loadFailed") : null}
      empty={data.items.length === 0 ? (canWrite ? t("empty") : t("emptyViewer")) : null}
    >
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <tr>
            <Th>{t("task")}</Th>
            <Th>{t("persona")}</Th>
            <Th>{t("status")}</Th>
            <Th>{t("dueDate")}</Th>
            <Th>{t("updated")}</Th>
          </tr>
        </THead>
        <tbody>
          {data.items.map((task) => (
            <tr key={task.id} data-testid="task-row" data-title={task.title}>
              <Td>
                <Link href={`/t/${tenantSlug}/tasks/${encodeURIComponent(task.id)}`} className="font-medium text-accent underline hover:text-accent-hover">
                  {task.title}
                </Link>
              </Td>
              <Td>{personaNames[task.personaKey] ?? task.personaKey}</Td>
              <Td>
                <span className="flex flex-col items-start gap-1">
                  <TaskStatusBadge status={task.status} />
                  {task.status === "queued" && task.queuePosition != null ? (
                    <span className="text-xs text-muted-fg" data-testid="task-queue-position">
                      {t("queuePosition", { n: task.queuePosition })}
                    </span>
                  ) : null}
                </span>
              </Td>
              <Td>{task.dueDate ? format.dateTime(new Date(task.dueDate), DATE_ONLY) : <span className="text-muted-fg">{t("noDueDate")}</span>}</Td>
              <Td>
                <time dateTime={task.updatedAt.toISOString()}>{format.dateTime(task.updatedAt, "short")}</time>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ListSection>
  );
};
