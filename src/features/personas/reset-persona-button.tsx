"use client";

import { useMutation } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useTRPC } from "~/trpc/react";
import type { PersonaView } from "./persona-types";

/** "Reset to template": deletes the workspace's overrides for one persona, after a confirmation. */
export const ResetPersonaButton = ({
  tenantSlug,
  personaKey,
  name,
  onReset,
}: {
  tenantSlug: string;
  personaKey: PersonaView["key"];
  name: string;
  onReset?: () => void;
}) => {
  const t = useTranslations("personas");
  const confirm = useConfirmAction();
  const trpc = useTRPC();
  const reset = useMutation(trpc.persona.reset.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <RotateCcw aria-hidden="true" />
          {t("reset")}
        </>
      }
      triggerLabel={t("resetLabel", { name })}
      title={t("resetTitle", { name })}
      description={t("resetBody")}
      confirmLabel={t("resetConfirm")}
      onConfirm={confirm(() => reset.mutateAsync({ tenantSlug, key: personaKey }), onReset)}
    />
  );
};

