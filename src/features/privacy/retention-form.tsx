"use client";

import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { RETENTION_CLASSES, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, type RetentionPolicy } from "~/lib/retention";
import { SaveRow } from "./save-row";
import { usePrivacyUpdate } from "./use-privacy-update";

/** An empty field means "keep"; anything else is whole days. */
const daysOf = (raw: FormDataEntryValue | null): number | null => {
  const s = typeof raw === "string" ? raw.trim() : "";
  return s === "" ? null : Number(s);
};

/**
 * A retention window per data class, in days, or empty to keep. The bounds are not set as
 * min/max attributes on purpose: the browser's own bubble would refuse in the browser's language,
 * while the service's refusal (the audit legal minimum) comes back translated and names the class.
 */
export const RetentionForm = ({ tenantSlug, retention, canEdit }: { tenantSlug: string; retention: RetentionPolicy; canEdit: boolean }) => {
  const t = useTranslations("privacy");
  const { save, error, pending, saved } = usePrivacyUpdate(tenantSlug);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    save({ retention: Object.fromEntries(RETENTION_CLASSES.map((c) => [c, daysOf(form.get(c))])) as RetentionPolicy });
  };
  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit} noValidate>
      <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2">
        <legend className="sr-only">{t("retention.legend")}</legend>
        {RETENTION_CLASSES.map((c) => (
          <Field key={c}>
            <Label htmlFor={`privacy-retention-${c}`}>{t(`retention.classes.${c}`)}</Label>
            <Input
              id={`privacy-retention-${c}`}
              name={c}
              type="number"
              inputMode="numeric"
              step={1}
              defaultValue={retention[c] ?? ""}
              placeholder={t("retention.keepPlaceholder")}
              aria-describedby={`privacy-retention-${c}-hint`}
            />
            <FieldHint id={`privacy-retention-${c}-hint`}>{t("retention.hint", { min: RETENTION_MIN_DAYS[c], max: RETENTION_MAX_DAYS })}</FieldHint>
          </Field>
        ))}
      </fieldset>
      <SaveRow canEdit={canEdit} pending={pending} saved={saved} error={error} />
    </form>
  );
};
