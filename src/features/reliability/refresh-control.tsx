"use client";

import { Pause, Play } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "~/components/ui/button";
import { useReliabilityFormat } from "./format";

/**
 * When the figures were fetched and a Pause/Resume button (WCAG 2.2.2: moving
 * or auto-updating content can be paused). Not a live region: announcing
 * every refresh would talk over whatever the reader is doing; focus is never moved.
 */
export const RefreshControl = ({ updatedAt, paused, onToggle, everySeconds, failed }: { updatedAt: Date; paused: boolean; onToggle: () => void; everySeconds: number; failed: boolean }) => {
  const t = useTranslations("reliability.refresh");
  const f = useReliabilityFormat();
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-muted-fg">
      <span>
        {t("updated", { time: f.time(updatedAt) })} {paused ? t("paused") : t("every", { seconds: everySeconds })}
      </span>
      {failed ? <span className="text-danger">{t("failed")}</span> : null}
      <Button variant="secondary" size="sm" onClick={onToggle} aria-pressed={paused}>
        {paused ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
        {t("pause")}
      </Button>
    </div>
  );
};
