"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";

/**
 * Minutes and seconds until `expiresAt`, ticking. Display only: the server
 * decides expiry with its own clock. `serverNow` aligns the count with the
 * server's clock when the page was rendered, whatever the browser's says.
 */
export const TimeLeft = ({ expiresAt, serverNow }: { expiresAt: Date; serverNow: Date }) => {
  const t = useTranslations("support");
  const [skew] = useState(() => Date.now() - serverNow.getTime());
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  // Before hydration (and on the server) render from the server's clock.
  const left = Math.max(0, Math.floor((expiresAt.getTime() - (now === null ? serverNow.getTime() : now - skew)) / 1_000));
  if (left === 0) return <span className="text-danger">{t("expired")}</span>;
  return <span className="tabular-nums">{t("timeLeft", { minutes: Math.floor(left / 60), seconds: left % 60 })}</span>;
};
