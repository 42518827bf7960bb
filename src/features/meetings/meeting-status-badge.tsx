"use client";

import { useTranslations } from "next-intl";
import { StatusBadge } from "~/components/ui/status-badge";
import { MEETING_STATUS_VARIANTS, type MeetingStatus } from "./status";

export const MeetingStatusBadge = ({ status }: { status: string }) => {
  const t = useTranslations("meetings.status");
  const known = status in MEETING_STATUS_VARIANTS;
  return <StatusBadge status={status} variants={MEETING_STATUS_VARIANTS} label={known ? t(status as MeetingStatus) : status} testId="meeting-status" />;
};
