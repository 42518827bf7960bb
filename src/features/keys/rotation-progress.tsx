"use client";

import { Pause, Play } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "~/components/ui/button";
import { StatusBadge } from "~/components/ui/status-badge";
import { isInFlight, OPERATION_VARIANTS, useKeyFormat, type Operation } from "./key-format";

/** rowsDone/rowsTotal as a native-looking bar with progressbar semantics; indeterminate until the job has counted. */
const ProgressBar = ({ done, total, label }: { done: number; total: number; label: string }) => {
  const t = useTranslations("keys");
  const known = total > 0;
  const value = known ? Math.min(done, total) : 0;
  const text = known ? t("progressValue", { done: value, total }) : t("progressUnknown");
  return (
    <div className="flex flex-col gap-1.5">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? value : undefined}
        aria-valuetext={text}
        className="h-3 w-full max-w-xl overflow-hidden rounded-full border border-border-strong bg-surface"
      >
        <div className="h-full bg-accent transition-[width]" style={{ width: known ? `${(value / total) * 100}%` : "0%" }} />
      </div>
      <p className="text-sm tabular-nums text-muted-fg">{text}</p>
    </div>
  );
};

/** Pause/resume of the 2-second refresh, shown while an operation runs. Not a live region: only completion is announced. */
export const PollControl = ({ paused, onToggle, failed }: { paused: boolean; onToggle: () => void; failed: boolean }) => {
  const t = useTranslations("keys");
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-muted-fg">
      <span>{paused ? t("refreshPaused") : t("refreshEvery", { seconds: 2 })}</span>
      {failed ? <span className="text-danger">{t("refreshFailed")}</span> : null}
      <Button variant="secondary" size="sm" onClick={onToggle} aria-pressed={paused}>
        {paused ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
        {t("pauseRefresh")}
      </Button>
    </div>
  );
};

/** The workspace's operation in flight or in its rollback window: what, how far, until when the old key stays usable. */
export const CurrentOperation = ({ op }: { op: Operation | null }) => {
  const t = useTranslations("keys");
  const f = useKeyFormat();
  if (!op) return <p className="text-muted-fg">{t("noCurrent")}</p>;
  const running = isInFlight(op.status);
  return (
    <div className="flex flex-col gap-4 rounded-lg border border-border p-4" data-testid="current-operation">
      <div className="flex flex-wrap items-center gap-3">
        <p className="font-medium">
          {t("currentSummary", { kind: f.kind(op.kind), versions: f.versions(op) })}
        </p>
        <StatusBadge status={op.status} variants={OPERATION_VARIANTS} label={f.status(op.status)} testId="current-operation-status" />
      </div>
      {running || op.rowsTotal > 0 ? <ProgressBar done={op.rowsDone} total={op.rowsTotal} label={t("progressLabel", { kind: f.kind(op.kind) })} /> : null}
      <p className="text-sm text-muted-fg">
        {t("startedAt")} <time dateTime={op.startedAt.toISOString()}>{f.dateTime(op.startedAt)}</time>
      </p>
      {op.status === "waiting-retire" && op.retireAfter ? (
        <p className="text-sm">
          {t("retireAfter", { version: op.fromVersion ?? 0, date: f.dateTime(op.retireAfter) })}
        </p>
      ) : null}
    </div>
  );
};
