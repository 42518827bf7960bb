"use client";

import { useMutation } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

export const AcceptInvitationButton = ({ token }: { token: string }) => {
  const t = useTranslations("invite");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: ({ tenantSlug }) => {
        router.push(`/t/${tenantSlug}`);
        router.refresh();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const pending = accept.isPending || accept.isSuccess;
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} />
      <Button
        size="lg"
        className="self-start"
        disabled={pending}
        onClick={() => {
          setError(null);
          accept.mutate({ token });
        }}
      >
        <Check aria-hidden="true" />
        {pending ? tc("working") : t("accept")}
      </Button>
    </div>
  );
};
