"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { ListSection } from "~/components/layout/list-section";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { Link } from "~/i18n/navigation";
import { LIVE_POLL_MS } from "~/lib/live-poll";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { MeetingStatusBadge } from "./meeting-status-badge";
import { isMeetingActive } from "./status";

type MeetingList = RouterOutputs["meeting"]["list"];

/** The workspace's meetings, newest first; polls while any of them is still running. */
export const MeetingsList = ({ tenantSlug, initial, canWrite }: { tenantSlug: string; initial: MeetingList; canWrite: boolean }) => {
  const t = useTranslations("meetings.list");
  const trpc = useTRPC();
  const format = useFormatter();
  const { data = initial, isError } = useQuery({
    ...trpc.meeting.list.queryOptions({ tenantSlug }),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.items.some((m) => isMeetingActive(m.status)) ? LIVE_POLL_MS * 2 : false),
  });

  return (
    <ListSection
      id="meetings-list-title"
      title={t("title")}
      error={isError ? t("loadFailed") : null}
      empty={data.items.length === 0 ? (canWrite ? t("empty") : t("emptyViewer")) : null}
    >
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <tr>
            <Th>{t("meeting")}</Th>
            <Th>{t("status")}</Th>
            <Th>{t("items")}</Th>
            <Th>{t("progress")}</Th>
            <Th>{t("created")}</Th>
          </tr>
        </THead>
        <tbody>
          {data.items.map((m) => (
            <tr key={m.id} data-testid="meeting-row" data-title={m.title}>
              <Td>
                <Link href={`/t/${tenantSlug}/meetings/${encodeURIComponent(m.id)}`} className="font-medium text-accent underline hover:text-accent-hover">
                  {m.title}
                </Link>
              </Td>
              <Td>
                <MeetingStatusBadge status={m.status} />
              </Td>
              <Td className="tabular-nums">{format.number(m.itemCount)}</Td>
              <Td className="tabular-nums" data-testid="meeting-progress">
                {t("turns", { done: m.turnCount, total: m.totalTurns })}
              </Td>
              <Td>
                <time dateTime={m.createdAt.toISOString()}>{format.dateTime(m.createdAt, "short")}</time>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ListSection>
  );
};
