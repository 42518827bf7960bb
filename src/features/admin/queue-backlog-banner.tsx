import { TriangleAlert } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";

/** Functions listed by name in the banner; the rest are counted ("and N more"). */
const MAX_LISTED = 5;

/**
 * On every admin page (the admin layout, platform admins only): shown while a
 * job queue is over the alert thresholds (admin.ops.queueBacklog — depth > 100
 * or the oldest due item waiting > 5 minutes), with the functions concerned, a
 * link to the live queues (/admin/ops) and the runbook's path. Renders nothing
 * when the queues are fine, cannot be read, or the call is refused: the banner
 * must never break the page under it.
 *
 * role="status" (polite): a backlog is worth knowing on arrival but is not an
 * error in what the admin is doing, so it does not interrupt.
 */
export const QueueBacklogBanner = async () => {
  const backlog = await api.admin.ops.queueBacklog().catch(() => null);
  if (!backlog?.backlogged) return null;
  const t = await getTranslations("admin.queueBacklog");
  const over = backlog.functions.filter((f) => f.backlogged);
  const listed = over.slice(0, MAX_LISTED);
  return (
    <div role="status" aria-labelledby="queue-backlog-title" className="mb-6 flex items-start gap-2 rounded-md border border-warning/30 bg-warning-soft px-4 py-3 text-sm text-warning" data-testid="queue-backlog-banner">
      <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div className="flex flex-col gap-1">
        <h2 id="queue-backlog-title" className="font-semibold">
          {t("title")}
        </h2>
        <p>{t("body", { count: over.length, depth: backlog.thresholds.depth, minutes: Math.round(backlog.thresholds.oldestAgeSeconds / 60) })}</p>
        <ul className="list-disc pl-5">
          {listed.map((f) => (
            <li key={f.functionId}>
              <span className="font-mono">{f.functionId}</span>: {t("item", { depth: f.depth, minutes: Math.floor(f.oldestAgeSeconds / 60) })}
            </li>
          ))}
          {over.length > listed.length ? <li>{t("more", { count: over.length - listed.length })}</li> : null}
        </ul>
        <p>
          <Link href="/admin/ops" className="font-medium underline">
            {t("opsLink")}
          </Link>{" "}
          · {t("runbook")} <code className="font-mono text-xs">{backlog.runbook}</code>
        </p>
      </div>
    </div>
  );
};
