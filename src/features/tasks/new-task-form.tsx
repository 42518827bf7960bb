"use client";

import { useMutation } from "@tanstack/react-query";
import { ClipboardList } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import type { PersonaOption } from "~/lib/persona-option";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { fieldErrorsOf, reasonOfClientError } from "~/components/forms/field-errors";
import { Textarea } from "~/components/ui/textarea";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

type FieldName = "personaKey" | "title" | "description" | "dueDate";
const FIELDS: FieldName[] = ["personaKey", "title", "description", "dueDate"];
const REASON_FIELDS: Record<string, FieldName> = { personaDisabled: "personaKey", dueDateInPast: "dueDate" };


/** A task by hand: who does it, what, by when. Controlled fields: a refused submit keeps the text. */
export const NewTaskForm = ({ tenantSlug, personas }: { tenantSlug: string; personas: PersonaOption[] }) => {
  const t = useTranslations("tasks.form");
  const tr = useTranslations("tasks.reasons");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const uid = useId();
  const create = useMutation(trpc.task.create.mutationOptions());
  const [personaKey, setPersonaKey] = useState(personas[0]?.key ?? "");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [dueDate, setDueDate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Set<FieldName>>(new Set());

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setInvalid(new Set());
    create.mutate(
      { tenantSlug, personaKey, title: title.trim(), description: description.trim(), ...(dueDate ? { dueDate } : {}) },
      {
        onSuccess: ({ id }) => router.push(`/t/${tenantSlug}/tasks/${encodeURIComponent(id)}`),
        onError: (err) => {
          const reason = reasonOfClientError(err);
          const fields = new Set([...fieldErrorsOf(err)].filter((f): f is FieldName => (FIELDS as string[]).includes(f)));
          if (reason && REASON_FIELDS[reason]) fields.add(REASON_FIELDS[reason]);
          setInvalid(fields);
          setError(reason && tr.has(reason as "generic") ? tr(reason as "generic") : fields.size > 0 ? t("fixFields") : errorMessage(err));
        },
      },
    );
  };

  const fieldError = (name: FieldName) =>
    invalid.has(name) ? (
      <p id={`${uid}-${name}-error`} className="text-sm text-danger" data-testid={`task-${name}-error`}>
        {t(`errors.${name}`)}
      </p>
    ) : null;
  const describedBy = (name: FieldName, hint?: string) => [hint, invalid.has(name) ? `${uid}-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <form className="flex max-w-2xl flex-col gap-5" onSubmit={onSubmit} noValidate>
      <Field>
        <Label htmlFor={`${uid}-persona`}>{t("persona")}</Label>
        <Select id={`${uid}-persona`} value={personaKey} onChange={(e) => setPersonaKey(e.currentTarget.value)} aria-invalid={invalid.has("personaKey") || undefined} aria-describedby={describedBy("personaKey")}>
          {personas.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </Select>
        {fieldError("personaKey")}
      </Field>
      <Field>
        <Label htmlFor={`${uid}-title`}>{t("title")}</Label>
        <Input id={`${uid}-title`} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={120} aria-invalid={invalid.has("title") || undefined} aria-describedby={describedBy("title")} />
        {fieldError("title")}
      </Field>
      <Field>
        <Label htmlFor={`${uid}-description`}>{t("description")}</Label>
        <Textarea
          id={`${uid}-description`}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          rows={5}
          maxLength={4000}
          aria-invalid={invalid.has("description") || undefined}
          aria-describedby={describedBy("description", `${uid}-description-hint`)}
        />
        <FieldHint id={`${uid}-description-hint`}>{t("descriptionHint")}</FieldHint>
        {fieldError("description")}
      </Field>
      <Field>
        <Label htmlFor={`${uid}-due`}>{t("dueDate")}</Label>
        <Input id={`${uid}-due`} type="date" value={dueDate} onChange={(e) => setDueDate(e.currentTarget.value)} className="w-48" aria-invalid={invalid.has("dueDate") || undefined} aria-describedby={describedBy("dueDate", `${uid}-due-hint`)} />
        <FieldHint id={`${uid}-due-hint`}>{t("dueDateHint")}</FieldHint>
        {fieldError("dueDate")}
      </Field>
      <FormError message={error} />
      <Button type="submit" className="self-start" disabled={create.isPending || create.isSuccess || personas.length === 0}>
        <ClipboardList aria-hidden="true" />
        {create.isPending || create.isSuccess ? tc("working") : t("submit")}
      </Button>
    </form>
  );
};
