"use client";

import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { FieldHint } from "~/components/ui/field";
import { SaveRow } from "./save-row";
import { usePrivacyUpdate } from "./use-privacy-update";

/** Telemetry on/off for the workspace; off strips its identifiers from spans, logs and metrics. */
export const TelemetryForm = ({ tenantSlug, enabled, canEdit }: { tenantSlug: string; enabled: boolean; canEdit: boolean }) => {
  const t = useTranslations("privacy");
  const { save, error, pending, saved } = usePrivacyUpdate(tenantSlug);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    save({ telemetryEnabled: new FormData(e.currentTarget).get("telemetryEnabled") === "on" });
  };
  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      {/* One checkbox: no fieldset (a group needs a legend, and there is no group); read-only disables the box itself. */}
      <div className="flex flex-col gap-1.5">
        <div className="flex items-start gap-2">
          <input id="privacy-telemetry" name="telemetryEnabled" type="checkbox" defaultChecked={enabled} disabled={!canEdit} className="mt-0.5 size-4 accent-accent" aria-describedby="privacy-telemetry-hint" />
          <label htmlFor="privacy-telemetry" className="text-sm font-medium">
            {t("telemetry.label")}
          </label>
        </div>
        <FieldHint id="privacy-telemetry-hint">{t("telemetry.hint")}</FieldHint>
      </div>
      <SaveRow canEdit={canEdit} pending={pending} saved={saved} error={error} />
    </form>
  );
};
