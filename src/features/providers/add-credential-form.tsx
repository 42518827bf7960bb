"use client";

import { useMutation } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { PROVIDER_OPTIONS, providerNameKey, type ProviderOption } from "~/lib/provider-name";
import { regionalEndpoint } from "~/lib/provider-regions";
import type { ResidencyRegion } from "~/lib/regions";

/**
 * Admins: add an LLM provider credential. The key lives only in the (uncontrolled)
 * password input until it is sent; the form is cleared after saving. The workspace's data
 * residency region decides which regional endpoint is offered (src/lib/provider-regions.ts):
 * offered, not imposed, since a regional endpoint only accepts keys of a project created there.
 */
export const AddCredentialForm = ({ tenantSlug, residency }: { tenantSlug: string; residency: ResidencyRegion }) => {
  const t = useTranslations("providers");
  const tr = useTranslations("privacy.providerEndpoint");
  const region = useTranslations("privacy.regions")(residency);
  const openaiRegional = regionalEndpoint("openai", residency);
  const anthropicRegional = regionalEndpoint("anthropic", residency);
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [provider, setProvider] = useState<ProviderOption>("openai");
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.provider.create.mutationOptions());

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    setError(null);
    create.reset();
    create.mutate(
      {
        tenantSlug,
        provider,
        label: text("label"),
        apiKey: text("apiKey"),
        ...(provider === "openai-compatible" ? { baseUrl: text("baseUrl") } : {}),
        ...(provider === "openai" && openaiRegional && data.get("useRegional") === "on" ? { baseUrl: openaiRegional } : {}),
        ...(text("defaultModel") ? { defaultModel: text("defaultModel") } : {}),
      },
      {
        onSuccess: () => {
          form.reset();
          setProvider("openai");
          router.refresh();
        },
        onError: (err) => setError(errorMessage(err)),
      },
    );
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit} autoComplete="off">
      <Field>
        <Label htmlFor="provider-kind">{t("provider")}</Label>
        <Select id="provider-kind" name="provider" value={provider} onChange={(e) => setProvider(e.currentTarget.value as ProviderOption)}>
          {PROVIDER_OPTIONS.map((p) => (
            <option key={p} value={p}>
              {t(`providerNames.${providerNameKey(p)}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field>
        <Label htmlFor="provider-label">{t("label")}</Label>
        <Input id="provider-label" name="label" required maxLength={80} aria-describedby="provider-label-hint" />
        <FieldHint id="provider-label-hint">{t("labelHint")}</FieldHint>
      </Field>
      <Field>
        <Label htmlFor="provider-api-key">{t("key")}</Label>
        <Input
          id="provider-api-key"
          name="apiKey"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          minLength={8}
          maxLength={512}
          aria-describedby="provider-api-key-hint"
          className="font-mono"
        />
        <FieldHint id="provider-api-key-hint">{t("apiKeyHint")}</FieldHint>
      </Field>
      {provider === "openai-compatible" ? (
        <Field>
          <Label htmlFor="provider-base-url">{t("baseUrl")}</Label>
          <Input id="provider-base-url" name="baseUrl" type="url" required maxLength={500} placeholder="https://" aria-describedby="provider-base-url-hint" />
          <FieldHint id="provider-base-url-hint">{t("baseUrlHint")}</FieldHint>
        </Field>
      ) : null}
      {provider === "openai" && openaiRegional ? (
        <div className="flex flex-col gap-1.5">
          <div className="flex items-start gap-2">
            <input id="provider-regional" name="useRegional" type="checkbox" className="mt-0.5 size-4 accent-accent" aria-describedby="provider-regional-hint" />
            <label htmlFor="provider-regional" className="break-words text-sm font-medium">
              {tr("useRegional", { region, url: openaiRegional })}
            </label>
          </div>
          <FieldHint id="provider-regional-hint">{tr("useRegionalHint", { region })}</FieldHint>
        </div>
      ) : null}
      {provider === "anthropic" && !anthropicRegional ? <p className="text-xs text-muted-fg">{tr("noRegional", { provider: t("providerNames.anthropic"), region })}</p> : null}
      <Field>
        <Label htmlFor="provider-default-model">{t("defaultModel")}</Label>
        <Input id="provider-default-model" name="defaultModel" maxLength={120} aria-describedby="provider-default-model-hint" />
        <FieldHint id="provider-default-model-hint">{t("defaultModelHint")}</FieldHint>
      </Field>
      <FormError message={error} />
      <p role="status" className={create.isSuccess ? "text-sm text-success" : "sr-only"}>
        {create.isSuccess ? t("created") : ""}
      </p>
      <Button type="submit" className="self-start" disabled={create.isPending}>
        <Plus aria-hidden="true" />
        {create.isPending ? tc("working") : t("submit")}
      </Button>
    </form>
  );
};
