"use client";

import { useTranslations } from "next-intl";
import { cn } from "~/lib/cn";
import type { PersonaOption } from "~/lib/persona-option";
import { ModelBadge } from "./message-item";

/** Who to ask: native radio buttons (arrow keys move between them), one card per enabled executive. */
export const PersonaPicker = ({ personas, value, onChange }: { personas: PersonaOption[]; value: string; onChange: (key: string) => void }) => {
  const t = useTranslations("chat");
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-3 text-lg font-semibold">{t("pickerLegend")}</legend>
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {personas.map((p) => {
          const id = `persona-${p.key}`;
          const checked = p.key === value;
          return (
            <label
              key={p.key}
              htmlFor={id}
              className={cn(
                "flex cursor-pointer gap-3 rounded-lg border p-3 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring",
                checked ? "border-accent bg-accent-soft" : "border-border hover:bg-surface",
              )}
            >
              <input id={id} type="radio" name="persona" value={p.key} checked={checked} onChange={() => onChange(p.key)} className="mt-1 size-4 accent-accent" aria-describedby={`${id}-mandate`} />
              <span className="flex min-w-0 flex-col gap-1">
                <span className="font-medium">{p.name}</span>
                <span id={`${id}-mandate`} className="text-xs text-muted-fg">
                  {p.mandate}
                </span>
                <span>
                  <ModelBadge offline={p.offline} model={p.model} />
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
};
