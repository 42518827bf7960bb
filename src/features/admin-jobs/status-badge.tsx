import { getTranslations } from "next-intl/server";
import { Badge } from "~/components/ui/badge";

type Status = "open" | "replayed" | "discarded";
const VARIANT = { open: "danger", replayed: "success", discarded: "neutral" } as const;
const KEY = { open: "statusOpen", replayed: "statusReplayed", discarded: "statusDiscarded" } as const;

/** A dead letter's status as a translated badge (server component). */
export const DeadLetterStatusBadge = async ({ status }: { status: Status }) => {
  const t = await getTranslations("adminJobs");
  return <Badge variant={VARIANT[status]}>{t(KEY[status])}</Badge>;
};
