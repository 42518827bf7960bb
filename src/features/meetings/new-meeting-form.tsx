"use client";

import { useMutation } from "@tanstack/react-query";
import { Plus, Trash2, Users } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Textarea } from "~/components/ui/textarea";
import type { PersonaOption } from "~/lib/persona-option";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { fieldErrorsOf, reasonOfClientError } from "~/components/forms/field-errors";
import { useRouter } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";

const MAX_AGENDA = 10;

type AgendaRow = { id: number; text: string };
type FieldName = "title" | "goal" | "agenda" | "personaKeys" | "chairKey" | "rounds";

/** Which field a service reason is about, so its message sits next to that field. */
const REASON_FIELDS: Record<string, FieldName> = {
  meetingNoPersonas: "personaKeys",
  meetingDuplicatePersona: "personaKeys",
  meetingTooManyPersonas: "personaKeys",
  meetingPersonaUnavailable: "personaKeys",
  personaDisabled: "personaKeys",
  meetingChairNotParticipant: "chairKey",
  meetingEmptyAgenda: "agenda",
  meetingTooManyAgendaItems: "agenda",
  meetingTooManyRounds: "rounds",
};

/**
 * A new board meeting. Every value is controlled state, so a refused submit
 * keeps all that was typed; the server's verdict (zod field errors or a
 * service reason) is shown next to the field it concerns and in a summary.
 */
export const NewMeetingForm = ({ tenantSlug, personas }: { tenantSlug: string; personas: PersonaOption[] }) => {
  const t = useTranslations("meetings.form");
  const tr = useTranslations("meetings.reasons");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const uid = useId();
  const create = useMutation(trpc.meeting.create.mutationOptions());

  const [title, setTitle] = useState("");
  const [goal, setGoal] = useState("");
  const nextRowId = useRef(2);
  const [agenda, setAgenda] = useState<AgendaRow[]>([{ id: 1, text: "" }]);
  const [participants, setParticipants] = useState<string[]>([]);
  const [chairChoice, setChairChoice] = useState("");
  const [rounds, setRounds] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Set<FieldName>>(new Set());
  const agendaInputs = useRef(new Map<number, HTMLInputElement>());
  const addButton = useRef<HTMLButtonElement>(null);

  // The chair is one of the participants: if the chosen one is unticked, the first participant chairs.
  const chairKey = participants.includes(chairChoice) ? chairChoice : (participants[0] ?? "");

  const toggleParticipant = (key: string, on: boolean) =>
    // Speaking order follows the list order, whatever order the boxes were ticked in.
    setParticipants((prev) => personas.map((p) => p.key).filter((k) => (k === key ? on : prev.includes(k))));

  const addRow = () => {
    const id = nextRowId.current++;
    setAgenda((rows) => [...rows, { id, text: "" }]);
    requestAnimationFrame(() => agendaInputs.current.get(id)?.focus());
  };
  const removeRow = (index: number) => {
    const neighbour = agenda[index - 1] ?? agenda[index + 1];
    setAgenda((rows) => rows.filter((_, i) => i !== index));
    // Focus must not fall back to <body> when the focused row's button disappears.
    requestAnimationFrame(() => (neighbour ? agendaInputs.current.get(neighbour.id)?.focus() : addButton.current?.focus()));
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setInvalid(new Set());
    create.mutate(
      {
        tenantSlug,
        title: title.trim(),
        goal: goal.trim(),
        // Blank rows are left out; an agenda with none left is the server's to refuse.
        agenda: agenda.map((r) => r.text.trim()).filter(Boolean),
        personaKeys: participants,
        chairKey,
        rounds,
      },
      {
        onSuccess: ({ id }) => router.push(`/t/${tenantSlug}/meetings/${encodeURIComponent(id)}`),
        onError: (err) => {
          const reason = reasonOfClientError(err);
          const fields = new Set([...fieldErrorsOf(err)].filter((f): f is FieldName => f in FIELD_KEYS));
          if (reason && REASON_FIELDS[reason]) fields.add(REASON_FIELDS[reason]);
          // No participants also means no chair (the server refuses the empty chair first): say what to fix.
          if (participants.length === 0 && fields.has("chairKey")) fields.add("personaKeys");
          if (fields.has("personaKeys")) fields.delete("chairKey");
          setInvalid(fields);
          setError(reason && tr.has(reason as "generic") ? tr(reason as "generic") : fields.size > 0 ? t("fixFields") : errorMessage(err));
        },
      },
    );
  };

  const fieldError = (name: FieldName) =>
    invalid.has(name) ? (
      <p id={`${uid}-${name}-error`} className="text-sm text-danger" data-testid={`meeting-${name}-error`}>
        {t(`errors.${FIELD_KEYS[name]}`)}
      </p>
    ) : null;
  const describedBy = (name: FieldName, hint?: string) => [hint, invalid.has(name) ? `${uid}-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <form className="flex max-w-3xl flex-col gap-6" onSubmit={onSubmit} noValidate aria-describedby={error ? `${uid}-summary` : undefined}>
      <Field>
        <Label htmlFor={`${uid}-title`}>{t("title")}</Label>
        <Input
          id={`${uid}-title`}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={120}
          aria-invalid={invalid.has("title") || undefined}
          aria-describedby={describedBy("title")}
        />
        {fieldError("title")}
      </Field>

      <Field>
        <Label htmlFor={`${uid}-goal`}>{t("goal")}</Label>
        <Textarea
          id={`${uid}-goal`}
          value={goal}
          onChange={(e) => setGoal(e.currentTarget.value)}
          rows={3}
          maxLength={2000}
          aria-invalid={invalid.has("goal") || undefined}
          aria-describedby={describedBy("goal", `${uid}-goal-hint`)}
        />
        <FieldHint id={`${uid}-goal-hint`}>{t("goalHint")}</FieldHint>
        {fieldError("goal")}
      </Field>

      <fieldset className="flex flex-col gap-3" aria-describedby={describedBy("agenda", `${uid}-agenda-hint`)}>
        <legend className="mb-1 text-sm font-medium">{t("agenda")}</legend>
        <FieldHint id={`${uid}-agenda-hint`}>{t("agendaHint", { max: MAX_AGENDA })}</FieldHint>
        <ol className="flex flex-col gap-2">
          {agenda.map((row, index) => (
            <li key={row.id} className="flex items-center gap-2" data-testid="agenda-row">
              <Label htmlFor={`${uid}-agenda-${row.id}`} className="w-20 shrink-0 text-muted-fg">
                {t("agendaItem", { n: index + 1 })}
              </Label>
              <Input
                id={`${uid}-agenda-${row.id}`}
                ref={(el) => {
                  if (el) agendaInputs.current.set(row.id, el);
                  else agendaInputs.current.delete(row.id);
                }}
                value={row.text}
                maxLength={500}
                aria-invalid={invalid.has("agenda") || undefined}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  setAgenda((rows) => rows.map((r) => (r.id === row.id ? { ...r, text } : r)));
                }}
              />
              <Button variant="ghost" size="icon" aria-label={t("removeAgendaItem", { n: index + 1 })} disabled={agenda.length === 1} onClick={() => removeRow(index)}>
                <Trash2 aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ol>
        <Button ref={addButton} variant="secondary" size="sm" className="self-start" disabled={agenda.length >= MAX_AGENDA} onClick={addRow}>
          <Plus aria-hidden="true" />
          {t("addAgendaItem")}
        </Button>
        {fieldError("agenda")}
      </fieldset>

      <fieldset className="flex flex-col gap-3" aria-describedby={describedBy("personaKeys", `${uid}-participants-hint`)}>
        <legend className="mb-1 text-sm font-medium">{t("participants")}</legend>
        <FieldHint id={`${uid}-participants-hint`}>{t("participantsHint")}</FieldHint>
        {personas.length === 0 ? <p className="text-sm text-muted-fg">{t("noPersonas")}</p> : null}
        <div className="grid gap-2 sm:grid-cols-2">
          {personas.map((p) => {
            const id = `${uid}-persona-${p.key}`;
            const checked = participants.includes(p.key);
            return (
              <label
                key={p.key}
                htmlFor={id}
                className={cn(
                  "flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring",
                  checked ? "border-accent bg-accent-soft" : "border-border hover:bg-surface",
                )}
              >
                <input
                  id={id}
                  type="checkbox"
                  checked={checked}
                  onChange={(e) => toggleParticipant(p.key, e.currentTarget.checked)}
                  className="mt-1 size-4 accent-accent"
                  aria-invalid={invalid.has("personaKeys") || undefined}
                />
                <span className="flex min-w-0 flex-col">
                  <span className="font-medium">{p.name}</span>
                  <span className="text-xs text-muted-fg">{p.mandate}</span>
                </span>
              </label>
            );
          })}
        </div>
        {fieldError("personaKeys")}
      </fieldset>

      <div className="flex flex-wrap gap-6">
        <Field>
          <Label htmlFor={`${uid}-chair`}>{t("chair")}</Label>
          <Select
            id={`${uid}-chair`}
            value={chairKey}
            onChange={(e) => setChairChoice(e.currentTarget.value)}
            disabled={participants.length === 0}
            aria-invalid={invalid.has("chairKey") || undefined}
            aria-describedby={describedBy("chairKey", `${uid}-chair-hint`)}
          >
            {participants.length === 0 ? <option value="">{t("chairNone")}</option> : null}
            {participants.map((key) => (
              <option key={key} value={key}>
                {personas.find((p) => p.key === key)?.name ?? key}
              </option>
            ))}
          </Select>
          <FieldHint id={`${uid}-chair-hint`}>{t("chairHint")}</FieldHint>
          {fieldError("chairKey")}
        </Field>
        <Field>
          <Label htmlFor={`${uid}-rounds`}>{t("rounds")}</Label>
          <Select
            id={`${uid}-rounds`}
            value={String(rounds)}
            onChange={(e) => setRounds(Number(e.currentTarget.value))}
            aria-invalid={invalid.has("rounds") || undefined}
            aria-describedby={describedBy("rounds", `${uid}-rounds-hint`)}
          >
            {[1, 2, 3].map((n) => (
              <option key={n} value={n}>
                {t("roundsValue", { count: n })}
              </option>
            ))}
          </Select>
          <FieldHint id={`${uid}-rounds-hint`}>{t("roundsHint")}</FieldHint>
          {fieldError("rounds")}
        </Field>
      </div>

      <FormError id={`${uid}-summary`} message={error} />
      <Button type="submit" className="self-start" disabled={create.isPending || create.isSuccess}>
        <Users aria-hidden="true" />
        {create.isPending || create.isSuccess ? tc("working") : t("submit")}
      </Button>
    </form>
  );
};

/** The message key under meetings.form.errors for each input field. */
const FIELD_KEYS = { title: "title", goal: "goal", agenda: "agenda", personaKeys: "participants", chairKey: "chair", rounds: "rounds" } as const satisfies Record<FieldName, string>;
