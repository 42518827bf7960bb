"use client";

import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { isResidencyRegion, RESIDENCY_REGIONS, type ResidencyRegion } from "~/lib/regions";
import { SaveRow } from "./save-row";
import { usePrivacyUpdate } from "./use-privacy-update";

/** The workspace's data residency preference: one region of src/lib/regions.ts. */
export const ResidencyForm = ({ tenantSlug, region, canEdit }: { tenantSlug: string; region: ResidencyRegion; canEdit: boolean }) => {
  const t = useTranslations("privacy");
  const { save, error, pending, saved } = usePrivacyUpdate(tenantSlug);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = new FormData(e.currentTarget).get("dataResidency");
    if (isResidencyRegion(value)) save({ dataResidency: value });
  };
  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      <fieldset disabled={!canEdit} className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("residency.legend")}</legend>
        {RESIDENCY_REGIONS.map((r) => (
          <div key={r} className="flex items-center gap-2">
            <input id={`privacy-residency-${r}`} type="radio" name="dataResidency" value={r} defaultChecked={r === region} className="size-4 accent-accent" />
            <label htmlFor={`privacy-residency-${r}`} className="text-sm">
              {t(`regions.${r}`)}
            </label>
          </div>
        ))}
      </fieldset>
      <SaveRow canEdit={canEdit} pending={pending} saved={saved} error={error} />
    </form>
  );
};
