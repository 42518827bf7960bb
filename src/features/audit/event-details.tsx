import { getFormatter, getTranslations } from "next-intl/server";

const READ_KINDS = ["conversations", "conversation", "documents", "meetings", "tasks"] as const;

const str = (v: unknown) => (typeof v === "string" ? v : null);
const short = (v: unknown) => {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
};

/**
 * The details column of one audit event. Support events get plain sentences
 * (the reason, the expiry, what was read and which ids); anything else shows
 * its metadata as key: value pairs.
 */
export const EventDetails = async ({ action, metadata }: { action: string; metadata: Record<string, unknown> }) => {
  const t = await getTranslations("audit");
  const format = await getFormatter();
  if (action.startsWith("support_session.")) {
    const reason = str(metadata.reason);
    const expiresAt = str(metadata.expiresAt);
    const what = str(metadata.what);
    const ids = Array.isArray(metadata.ids) ? metadata.ids.filter((x): x is string => typeof x === "string") : [];
    return (
      <div className="flex flex-col gap-1 text-sm">
        {reason ? <p className="break-words">{t("detailReason", { reason })}</p> : null}
        {action === "support_session.opened" && expiresAt ? <p>{t("detailUntil", { until: format.dateTime(new Date(expiresAt), "long") })}</p> : null}
        {what && (READ_KINDS as readonly string[]).includes(what) ? (
          <p>
            {t(`read.${what as (typeof READ_KINDS)[number]}`, { count: ids.length })}
            {ids.length > 0 ? <span className="block break-all font-mono text-xs text-muted-fg">{ids.join(", ")}</span> : null}
          </p>
        ) : null}
        {str(metadata.sessionId) ? <p className="font-mono text-xs text-muted-fg">{t("detailSession", { id: str(metadata.sessionId)! })}</p> : null}
      </div>
    );
  }
  const entries = Object.entries(metadata);
  if (entries.length === 0) return <span className="text-muted-fg">—</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {entries.slice(0, 8).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-medium">{k}</dt>
          <dd className="break-all font-mono">{short(v)}</dd>
        </div>
      ))}
    </dl>
  );
};
