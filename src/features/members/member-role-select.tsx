"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { ROLES, type TRole } from "~/lib/roles";
import { useTRPC } from "~/trpc/react";

/** Owners only: changes a member's role as soon as a new one is picked. */
export const MemberRoleSelect = ({ tenantSlug, membershipId, email, role }: { tenantSlug: string; membershipId: string; email: string; role: TRole }) => {
  const t = useTranslations("members");
  const tr = useTranslations("roles");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const id = useId();
  const [value, setValue] = useState<TRole>(role);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const change = useMutation(trpc.member.changeRole.mutationOptions());

  const onChange = (next: TRole) => {
    const previous = value;
    setValue(next);
    setError(null);
    setSaved(false);
    change.mutate(
      { tenantSlug, membershipId, role: next },
      {
        onSuccess: () => {
          setSaved(true);
          router.refresh();
        },
        onError: (err) => {
          setValue(previous);
          setError(errorMessage(err));
        },
      },
    );
  };

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="sr-only">
        {t("roleFor", { email })}
      </label>
      <Select
        id={id}
        size="sm"
        value={value}
        disabled={change.isPending}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value as TRole)}
      >
        {[...ROLES].reverse().map((r) => (
          <option key={r} value={r}>
            {tr(r)}
          </option>
        ))}
      </Select>
      {error ? (
        <p id={`${id}-error`} role="alert" className="max-w-64 text-xs text-danger">
          {error}
        </p>
      ) : null}
      <p role="status" className={saved ? "text-xs text-success" : "sr-only"}>
        {saved ? t("roleChanged") : ""}
      </p>
    </div>
  );
};
