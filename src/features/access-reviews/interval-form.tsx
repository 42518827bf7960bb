"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { useReviewErrorMessage } from "./use-review-error-message";

/** Owners: how often access must be reviewed, in days (30–365; the server checks again). */
export const IntervalForm = ({ tenantSlug, days }: { tenantSlug: string; days: number }) => {
  const t = useTranslations("accessReviews.schedule");
  const tc = useTranslations("common");
  const errorMessage = useReviewErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(trpc.accessReview.setInterval.mutationOptions({ onSuccess: () => router.refresh(), onError: (err) => setError(errorMessage(err)) }));

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    save.reset();
    save.mutate({ tenantSlug, days: Number(new FormData(e.currentTarget).get("days")) });
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      <Field className="max-w-xs">
        <Label htmlFor="access-review-interval">{t("intervalLabel")}</Label>
        <Input id="access-review-interval" name="days" type="number" inputMode="numeric" min={30} max={365} step={1} required defaultValue={days} aria-describedby="access-review-interval-hint" />
        <FieldHint id="access-review-interval-hint">{t("intervalHint")}</FieldHint>
      </Field>
      <FormError message={error} />
      <p role="status" className={save.isSuccess ? "text-sm text-success" : "sr-only"}>
        {save.isSuccess ? t("saved") : ""}
      </p>
      <Button type="submit" variant="secondary" className="self-start" disabled={save.isPending}>
        {save.isPending ? tc("working") : t("save")}
      </Button>
    </form>
  );
};
