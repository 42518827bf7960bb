"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2, Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { Alert, FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

type Status = RouterOutputs["deletion"]["status"];

/**
 * The privacy centre's workspace deletion (issue 16; services/privacy/workspace-deletion.ts): an
 * owner types the workspace's slug to schedule it after the grace period; while it is scheduled,
 * any owner can cancel. Admins see the state, not the controls. After a change the page is
 * refreshed so the workspace-wide banner (layout) follows.
 */
export const DeleteWorkspacePanel = ({ tenantSlug, initial }: { tenantSlug: string; initial: Status }) => {
  const t = useTranslations("privacyDeletion.workspace");
  const tc = useTranslations("common");
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const [status, setStatus] = useState(initial);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const date = (d: Date) => format.dateTime(d, { dateStyle: "long", timeZone: "UTC" });
  const done = (next: Status, message: string) => {
    setStatus(next);
    setTyped("");
    setNotice(message);
    router.refresh();
  };
  const request = useMutation(
    trpc.deletion.requestWorkspace.mutationOptions({
      onSuccess: (next) => done(next, t("requested", { date: date(next.scheduledFor!) })),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const cancel = useMutation(
    trpc.deletion.cancelWorkspace.mutationOptions({
      onSuccess: (next) => done(next, t("cancelled")),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    request.mutate({ tenantSlug, confirmation: typed });
  };
  const pending = status.status === "PENDING_DELETION";

  return (
    <Card>
      <CardHeader>
        <CardTitle id="workspace-deletion">{t("title")}</CardTitle>
        <CardDescription>{t("description", { days: status.graceDays })}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {notice ? (
          <Alert variant="success" role="status">
            {notice}
          </Alert>
        ) : null}
        <FormError message={error} />
        {pending && status.scheduledFor ? (
          <div className="flex flex-col gap-3" data-testid="workspace-deletion-scheduled">
            <p className="font-medium text-danger">{t("scheduled", { date: date(status.scheduledFor) })}</p>
            {status.requestedBy && status.requestedAt ? <p className="text-sm text-muted-fg">{t("requestedBy", { name: status.requestedBy, date: date(status.requestedAt) })}</p> : null}
            {status.canManage ? (
              <Button
                variant="secondary"
                className="self-start"
                disabled={cancel.isPending}
                onClick={() => {
                  setError(null);
                  setNotice(null);
                  cancel.mutate({ tenantSlug });
                }}
              >
                <Undo2 aria-hidden="true" />
                {cancel.isPending ? tc("working") : t("cancel")}
              </Button>
            ) : null}
          </div>
        ) : status.canManage ? (
          <form className="flex flex-col gap-4" onSubmit={submit}>
            <Field>
              <Label htmlFor={`${id}-confirm`}>{t("confirmLabel", { confirmation: status.confirmation })}</Label>
              <Input id={`${id}-confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} maxLength={320} />
            </Field>
            <Button type="submit" variant="danger" className="self-start" disabled={request.isPending || typed.trim().length === 0}>
              <Trash2 aria-hidden="true" />
              {request.isPending ? tc("working") : t("submit")}
            </Button>
          </form>
        ) : (
          <p className="text-sm text-muted-fg">{t("ownersOnly")}</p>
        )}
      </CardContent>
    </Card>
  );
};
