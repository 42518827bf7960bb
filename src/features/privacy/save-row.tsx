"use client";

import { useTranslations } from "next-intl";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

/** The save button, error and "saved" status shared by the privacy centre's forms (hidden when read-only). */
export const SaveRow = ({ canEdit, pending, saved, error }: { canEdit: boolean; pending: boolean; saved: boolean; error: string | null }) => {
  const t = useTranslations("privacy");
  const tc = useTranslations("common");
  if (!canEdit) return null;
  return (
    <>
      <FormError message={error} />
      <p role="status" className={saved ? "text-sm text-success" : "sr-only"}>
        {saved ? t("saved") : ""}
      </p>
      <Button type="submit" className="self-start" disabled={pending}>
        {pending ? tc("working") : t("save")}
      </Button>
    </>
  );
};
