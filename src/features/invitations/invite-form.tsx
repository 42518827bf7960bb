"use client";

import { useMutation } from "@tanstack/react-query";
import { Check, Copy, Send } from "lucide-react";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert, FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { isLocale } from "~/lib/locales";
import type { TRole } from "~/lib/roles";
import { useTRPC } from "~/trpc/react";

/** Admins and owners: invite by email, or create a shareable link when the email is left empty. */
export const InviteForm = ({ tenantSlug, canInviteOwner }: { tenantSlug: string; canInviteOwner: boolean }) => {
  const t = useTranslations("invitations");
  const tr = useTranslations("roles");
  const tc = useTranslations("common");
  const format = useFormatter();
  const locale = useLocale();
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // The submit button is disabled while the invitation is created, and a disabled
  // button loses focus: it fell back to <body> (WCAG 2.4.3, keyboard-journeys.spec.ts).
  // Focus goes to the new link instead (its text is selected on focus, ready to copy).
  const linkRef = useRef<HTMLInputElement>(null);
  const create = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  useEffect(() => {
    if (create.data) linkRef.current?.focus();
  }, [create.data]);

  const roles: TRole[] = canInviteOwner ? ["VIEWER", "MEMBER", "ADMIN", "OWNER"] : ["VIEWER", "MEMBER", "ADMIN"];

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const email = String(data.get("email") ?? "").trim();
    setError(null);
    setCopied(false);
    create.mutate({ tenantSlug, role: String(data.get("role")) as TRole, ...(email ? { email } : {}), ...(isLocale(locale) ? { locale } : {}) });
  };

  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="flex flex-col gap-4">
      <form className="flex flex-col gap-4 md:flex-row md:items-start" onSubmit={onSubmit}>
        <Field className="flex-1">
          <Label htmlFor="invite-email">{t("email")}</Label>
          <Input id="invite-email" name="email" type="email" autoComplete="off" maxLength={320} aria-describedby="invite-email-hint" />
          <FieldHint id="invite-email-hint">{t("emailHint")}</FieldHint>
        </Field>
        <Field>
          <Label htmlFor="invite-role">{t("role")}</Label>
          <Select id="invite-role" name="role" defaultValue="MEMBER">
            {roles.map((r) => (
              <option key={r} value={r}>
                {tr(r)}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" className="md:mt-6" disabled={create.isPending}>
          <Send aria-hidden="true" />
          {create.isPending ? tc("working") : t("submit")}
        </Button>
      </form>
      <FormError message={error} />
      {create.data ? (
        <Alert variant="success" role="status" className="flex flex-col gap-3">
          <p>{t("created", { date: format.dateTime(create.data.expiresAt, "short") })}</p>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <Field className="flex-1">
              <Label htmlFor="invite-link" className="text-success">
                {t("link")}
              </Label>
              <Input ref={linkRef} id="invite-link" readOnly value={create.data.link} onFocus={(e) => e.currentTarget.select()} className="font-mono text-xs" />
            </Field>
            <Button variant="secondary" onClick={() => void copy(create.data.link)}>
              {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
              {copied ? tc("copied") : tc("copy")}
            </Button>
          </div>
        </Alert>
      ) : null}
    </div>
  );
};
