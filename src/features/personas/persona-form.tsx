"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input, inputVariants } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { providerNameKey } from "~/lib/provider-name";
import { useRouter } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";
import type { PersonaCredentialOption, PersonaView } from "./persona-types";
import { ResetPersonaButton } from "./reset-persona-button";

/** Mirrors the server's limits so the browser stops obvious mistakes early; the server validates. */
const MAX_NAME = 80;
const MAX_INSTRUCTIONS = 4000;
const MAX_MODEL = 120;

/**
 * Admins: one persona's overrides. Every field is sent on save; an empty field
 * means "the template's value / the workspace default" (the server stores no
 * override for it).
 */
const PersonaForm = ({
  tenantSlug,
  persona,
  credentials,
  onSaved,
}: {
  tenantSlug: string;
  persona: PersonaView;
  credentials: PersonaCredentialOption[];
  onSaved: (saved: boolean) => void;
}) => {
  const t = useTranslations("personas");
  const tp = useTranslations("providers");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.persona.update.mutationOptions({
      onSuccess: () => {
        onSaved(true);
        router.refresh();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const id = (field: string) => `persona-${persona.key}-${field}`;

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "");
    const temperature = text("temperature").trim();
    setError(null);
    onSaved(false);
    update.reset();
    update.mutate({
      tenantSlug,
      key: persona.key,
      name: text("name").trim() || null,
      instructions: text("instructions").trim() || null,
      credentialId: text("credentialId") || null,
      model: text("model").trim() || null,
      temperature: temperature === "" ? null : Number(temperature),
      enabled: data.get("enabled") === "on",
    });
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit} autoComplete="off">
      <Field>
        <Label htmlFor={id("name")}>{t("nameLabel")}</Label>
        <Input id={id("name")} name="name" defaultValue={persona.name} maxLength={MAX_NAME} aria-describedby={id("name-hint")} />
        <FieldHint id={id("name-hint")}>{t("nameHint", { name: persona.builtInName })}</FieldHint>
      </Field>
      <Field>
        <Label htmlFor={id("instructions")}>{t("instructionsLabel")}</Label>
        <textarea
          id={id("instructions")}
          name="instructions"
          defaultValue={persona.instructions}
          maxLength={MAX_INSTRUCTIONS}
          rows={6}
          aria-describedby={id("instructions-hint")}
          className={cn(inputVariants(), "h-auto min-h-32 py-2 leading-relaxed")}
        />
        <FieldHint id={id("instructions-hint")}>{t("instructionsHint")}</FieldHint>
      </Field>
      <Field>
        <Label htmlFor={id("credential")}>{t("credentialLabel")}</Label>
        <Select id={id("credential")} name="credentialId" defaultValue={persona.credentialId ?? ""} aria-describedby={id("credential-hint")}>
          <option value="">{t("workspaceDefault")}</option>
          {credentials.map((c) => (
            <option key={c.id} value={c.id}>
              {t("credentialOption", { label: c.label, provider: tp(`providerNames.${providerNameKey(c.provider)}`) })}
            </option>
          ))}
        </Select>
        <FieldHint id={id("credential-hint")}>{t("credentialHint")}</FieldHint>
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field>
          <Label htmlFor={id("model")}>{t("modelLabel")}</Label>
          <Input id={id("model")} name="model" defaultValue={persona.model ?? ""} maxLength={MAX_MODEL} spellCheck={false} aria-describedby={id("model-hint")} />
          <FieldHint id={id("model-hint")}>{t("modelHint")}</FieldHint>
        </Field>
        <Field>
          <Label htmlFor={id("temperature")}>{t("temperatureLabel")}</Label>
          <Input
            id={id("temperature")}
            name="temperature"
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            defaultValue={persona.temperature ?? ""}
            aria-describedby={id("temperature-hint")}
          />
          <FieldHint id={id("temperature-hint")}>{t("temperatureHint")}</FieldHint>
        </Field>
      </div>
      <div className="flex items-start gap-3">
        <input
          id={id("enabled")}
          name="enabled"
          type="checkbox"
          defaultChecked={persona.enabled}
          aria-describedby={id("enabled-hint")}
          className="mt-0.5 size-4 shrink-0 accent-accent focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor={id("enabled")}>{t("enabledLabel")}</Label>
          <FieldHint id={id("enabled-hint")}>{t("enabledHint")}</FieldHint>
        </div>
      </div>
      <FormError message={error} />
      <Button type="submit" className="self-start" disabled={update.isPending} aria-label={update.isPending ? undefined : t("saveLabel", { name: persona.name })}>
        {update.isPending ? tc("working") : t("save")}
      </Button>
    </form>
  );
};

/**
 * The edit form plus "Reset to template". The form is uncontrolled and keyed by
 * the override's version, so after a save or a reset (and the page refresh
 * that follows) it shows what the server stored; the "Saved." status lives out
 * here so the remount does not swallow it.
 */
export const PersonaEditor = ({ tenantSlug, persona, credentials }: { tenantSlug: string; persona: PersonaView; credentials: PersonaCredentialOption[] }) => {
  const t = useTranslations("personas");
  const [saved, setSaved] = useState(false);
  return (
    <div className="flex flex-col gap-4">
      <PersonaForm key={persona.version} tenantSlug={tenantSlug} persona={persona} credentials={credentials} onSaved={setSaved} />
      <p role="status" className={saved ? "text-sm text-success" : "sr-only"}>
        {saved ? t("saved") : ""}
      </p>
      {persona.customised ? (
        <div className="border-t border-border pt-4">
          <ResetPersonaButton tenantSlug={tenantSlug} personaKey={persona.key} name={persona.name} onReset={() => setSaved(false)} />
        </div>
      ) : null}
    </div>
  );
};
