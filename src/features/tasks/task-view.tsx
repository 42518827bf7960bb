"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, Check, Pencil, RotateCcw, Undo2 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Alert, FormError } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button, buttonVariants } from "~/components/ui/button";
import { Label } from "~/components/ui/label";
import { SafeMarkdown } from "~/components/markdown/safe-markdown";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useFeatureErrorMessage } from "~/components/forms/field-errors";
import { Textarea } from "~/components/ui/textarea";
import { Link } from "~/i18n/navigation";
import { DATE_ONLY } from "~/lib/date-only";
import { LIVE_POLL_MS } from "~/lib/live-poll";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { isTaskActive, STEP_NAMES, STEP_STATUS_VARIANTS, statusKey } from "./status";
import { TaskStatusBadge } from "./task-status-badge";

type TaskData = RouterOutputs["task"]["get"];
type Step = TaskData["steps"][number];

const useInvalidateTask = () => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: trpc.task.get.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.task.list.pathKey() })]);
};

/** Step completions and the final state since the last poll, as one sentence (nothing on the first render). */
const useAnnouncement = (data: TaskData) => {
  const t = useTranslations("tasks.live");
  const ts = useTranslations("tasks.steps");
  const format = useFormatter();
  const done = data.steps.filter((s) => s.status !== "running").map((s) => `${s.revision}:${s.name}:${s.status}`);
  const fingerprint = `${done.join(",")}|${data.task.status}`;
  const [seen, setSeen] = useState({ fingerprint, done: new Set(done), status: data.task.status });
  const [message, setMessage] = useState("");
  if (fingerprint !== seen.fingerprint) {
    const parts: string[] = [];
    for (const step of data.steps) {
      if (step.status === "running" || seen.done.has(`${step.revision}:${step.name}:${step.status}`)) continue;
      const name = ts.has(step.name as "plan") ? ts(step.name as "plan") : step.name;
      if (step.status === "complete") parts.push(t("stepDone", { name, seconds: format.number((step.durationMs ?? 0) / 1000, { maximumFractionDigits: 1 }) }));
      else parts.push(t("stepEnded", { name, status: ts(`statuses.${step.status}` as "statuses.failed") }));
    }
    if (data.task.status !== seen.status && !isTaskActive(data.task.status)) parts.push(t(`final.${statusKey(data.task.status)}` as "final.done"));
    setSeen({ fingerprint, done: new Set(done), status: data.task.status });
    if (parts.length > 0) setMessage(parts.join(" "));
  }
  return message;
};

const StepsList = ({ steps, revision }: { steps: Step[]; revision: number }) => {
  const t = useTranslations("tasks.steps");
  const format = useFormatter();
  return (
    <ol className="flex flex-col gap-2" aria-label={t("listLabel", { revision })}>
      {STEP_NAMES.map((name) => {
        const step = steps.find((s) => s.name === name);
        return (
          <li key={name} className="rounded-md border border-border p-3" data-testid="task-step" data-step={name} data-status={step?.status ?? "pending"}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium">{t(name)}</span>
              <span className="flex items-center gap-2 text-sm">
                {step?.durationMs != null ? <span className="tabular-nums text-muted-fg">{t("duration", { seconds: format.number(step.durationMs / 1000, { maximumFractionDigits: 1 }) })}</span> : null}
                <Badge variant={step ? (STEP_STATUS_VARIANTS[step.status as keyof typeof STEP_STATUS_VARIANTS] ?? "neutral") : "neutral"}>
                  {step ? (t.has(`statuses.${step.status}`) ? t(`statuses.${step.status}` as "statuses.running") : step.status) : t("statuses.pending")}
                </Badge>
              </span>
            </div>
            {step?.output ? (
              <details className="mt-2">
                <summary className="cursor-pointer text-sm text-accent underline">{t("showOutput", { name: t(name) })}</summary>
                <div className="mt-2 text-sm">
                  <SafeMarkdown text={step.output} />
                </div>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
};

const DeliverableEditor = ({ tenantSlug, id, initial, onDone }: { tenantSlug: string; id: string; initial: string; onDone: () => void }) => {
  const t = useTranslations("tasks.deliverable");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const uid = useId();
  const errorMessage = useFeatureErrorMessage("tasks.reasons");
  const invalidate = useInvalidateTask();
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(trpc.task.updateDeliverable.mutationOptions());
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    save.mutate(
      { tenantSlug, id, deliverable: text },
      {
        onSuccess: async () => {
          await invalidate();
          onDone();
        },
        onError: (err) => setError(errorMessage(err)),
      },
    );
  };
  return (
    <form className="flex flex-col gap-3" onSubmit={onSubmit}>
      <Label htmlFor={`${uid}-deliverable`}>{t("editLabel")}</Label>
      <Textarea id={`${uid}-deliverable`} value={text} onChange={(e) => setText(e.currentTarget.value)} rows={16} maxLength={100_000} className="font-mono" />
      <FormError message={error} />
      <div className="flex gap-3">
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? tc("working") : t("save")}
        </Button>
        <Button variant="secondary" size="sm" onClick={onDone}>
          {t("discard")}
        </Button>
      </div>
    </form>
  );
};

/** `onReviewed` runs once the task was accepted or sent back: this section is about to go away. */
const ReviewActions = ({ tenantSlug, id, onReviewed }: { tenantSlug: string; id: string; onReviewed: () => void }) => {
  const t = useTranslations("tasks.review");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const uid = useId();
  const errorMessage = useFeatureErrorMessage("tasks.reasons");
  const invalidate = useInvalidateTask();
  const [feedback, setFeedback] = useState("");
  const [error, setError] = useState<string | null>(null);
  const handlers = {
    onSuccess: () => {
      onReviewed();
      void invalidate();
    },
    onError: (err: unknown) => setError(errorMessage(err)),
  };
  const accept = useMutation(trpc.task.accept.mutationOptions(handlers));
  const sendBack = useMutation(
    trpc.task.sendBack.mutationOptions({
      onSuccess: () => {
        setFeedback("");
        handlers.onSuccess();
      },
      onError: handlers.onError,
    }),
  );
  const busy = accept.isPending || sendBack.isPending;
  return (
    <section aria-labelledby={`${uid}-title`} className="flex flex-col gap-4 rounded-lg border border-border p-4">
      <h2 id={`${uid}-title`} className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-muted-fg">{t("lead")}</p>
      <Button
        className="self-start"
        disabled={busy}
        onClick={() => {
          setError(null);
          accept.mutate({ tenantSlug, id });
        }}
      >
        <Check aria-hidden="true" />
        {accept.isPending ? tc("working") : t("accept")}
      </Button>
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          sendBack.mutate({ tenantSlug, id, feedback: feedback.trim() });
        }}
      >
        <Label htmlFor={`${uid}-feedback`}>{t("feedback")}</Label>
        <Textarea id={`${uid}-feedback`} value={feedback} onChange={(e) => setFeedback(e.currentTarget.value)} rows={4} maxLength={4000} aria-describedby={`${uid}-feedback-hint`} />
        <p id={`${uid}-feedback-hint`} className="text-xs text-muted-fg">
          {t("feedbackHint")}
        </p>
        <Button type="submit" variant="secondary" className="self-start" disabled={busy || feedback.trim() === ""}>
          <Undo2 aria-hidden="true" />
          {sendBack.isPending ? tc("working") : t("sendBack")}
        </Button>
      </form>
      <FormError message={error} />
    </section>
  );
};

const CancelTaskButton = ({ tenantSlug, id, title }: { tenantSlug: string; id: string; title: string }) => {
  const t = useTranslations("tasks.actions");
  const trpc = useTRPC();
  const confirm = useConfirmAction(useFeatureErrorMessage("tasks.reasons"));
  const invalidate = useInvalidateTask();
  const cancel = useMutation(trpc.task.cancel.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <Ban aria-hidden="true" />
          {t("cancel")}
        </>
      }
      title={t("cancelTitle", { title })}
      description={t("cancelBody")}
      confirmLabel={t("cancelConfirm")}
      onConfirm={confirm(async () => {
        await cancel.mutateAsync({ tenantSlug, id });
        await invalidate();
      })}
    />
  );
};

/** A failed task runs again as the next revision (task.retry), e.g. once the workspace's token budget was raised. */
const RetryTaskButton = ({ tenantSlug, id }: { tenantSlug: string; id: string }) => {
  const t = useTranslations("tasks.actions");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const invalidate = useInvalidateTask();
  const errorMessage = useFeatureErrorMessage("tasks.reasons");
  const [error, setError] = useState<string | null>(null);
  const retry = useMutation(trpc.task.retry.mutationOptions({ onSuccess: () => void invalidate(), onError: (err) => setError(errorMessage(err)) }));
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        disabled={retry.isPending}
        onClick={() => {
          setError(null);
          retry.mutate({ tenantSlug, id });
        }}
      >
        <RotateCcw aria-hidden="true" />
        {retry.isPending ? tc("working") : t("retry")}
      </Button>
      <FormError message={error} />
    </div>
  );
};

/**
 * A task: status, the steps of the current revision (earlier ones folded
 * away), the deliverable, and the review actions. Polls while queued or
 * running; a polite live region announces finished steps and the final state.
 */
export const TaskView = ({ tenantSlug, initial, canWrite, personaName }: { tenantSlug: string; initial: TaskData; canWrite: boolean; personaName: string }) => {
  const t = useTranslations("tasks.task");
  const te = useTranslations("errors");
  const format = useFormatter();
  const trpc = useTRPC();
  const [editing, setEditing] = useState(false);
  // Accept and Send back disable themselves while they work, then the whole review
  // section goes away with the state it was for: focus fell back to <body> (WCAG 2.4.3,
  // found by keyboard-journeys.spec.ts). It moves to the task's heading instead, next to
  // the new status; the live region below says what happened.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { data = initial, isError } = useQuery({
    ...trpc.task.get.queryOptions({ tenantSlug, id: initial.task.id }),
    initialData: initial,
    refetchInterval: (query) => (isTaskActive(query.state.data?.task.status ?? "") ? LIVE_POLL_MS : false),
  });
  const { task, queuePosition } = data;
  const announcement = useAnnouncement(data);
  const revisions = [...new Set([task.revision, ...data.steps.map((s) => s.revision)])].sort((a, b) => b - a);
  const cancellable = canWrite && (isTaskActive(task.status) || task.status === "needs_review");
  const reviewing = canWrite && task.status === "needs_review";

  return (
    <div className="flex flex-col gap-8" data-testid="task-view" data-status={task.status}>
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 ref={headingRef} tabIndex={-1} className="text-3xl font-bold tracking-tight">
            {task.title}
          </h1>
          <TaskStatusBadge status={task.status} />
          {task.status === "queued" && queuePosition != null ? (
            <span className="text-sm text-muted-fg" data-testid="task-queue-position">
              {t("queuePosition", { n: queuePosition })}
            </span>
          ) : null}
        </div>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold text-muted-fg">{t("persona")}</dt>
          <dd>{personaName}</dd>
          <dt className="font-semibold text-muted-fg">{t("description")}</dt>
          <dd className="whitespace-pre-wrap">{task.description}</dd>
          <dt className="font-semibold text-muted-fg">{t("dueDate")}</dt>
          <dd>{task.dueDate ? format.dateTime(new Date(task.dueDate), DATE_ONLY) : t("noDueDate")}</dd>
          <dt className="font-semibold text-muted-fg">{t("revision")}</dt>
          <dd className="tabular-nums">{format.number(task.revision)}</dd>
          <dt className="font-semibold text-muted-fg">{t("tokens")}</dt>
          <dd className="tabular-nums">{t("tokensValue", { input: format.number(task.inputTokens), output: format.number(task.outputTokens) })}</dd>
          {task.feedback ? (
            <>
              <dt className="font-semibold text-muted-fg">{t("feedback")}</dt>
              <dd className="whitespace-pre-wrap">{task.feedback}</dd>
            </>
          ) : null}
        </dl>
        {task.sourceActionItemId ? <p className="text-sm text-muted-fg">{t("fromActionItem")}</p> : null}
        {cancellable ? (
          <div>
            <CancelTaskButton tenantSlug={tenantSlug} id={task.id} title={task.title} />
          </div>
        ) : null}
        {task.status === "failed" ? (
          <Alert variant="danger" data-testid="task-error">
            {t("failed", { reason: task.errorReason && te.has(task.errorReason as "generic") ? te(task.errorReason as "generic") : te("generic") })}
          </Alert>
        ) : null}
        {task.status === "failed" && canWrite ? <RetryTaskButton tenantSlug={tenantSlug} id={task.id} /> : null}
        {isError ? (
          <p role="alert" className="text-sm text-danger">
            {t("loadFailed")}
          </p>
        ) : null}
      </div>

      <p role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="task-announcements">
        {announcement}
      </p>

      <section aria-labelledby="task-steps-title" className="flex flex-col gap-3">
        <h2 id="task-steps-title" className="text-xl font-semibold">
          {t("steps")}
        </h2>
        {revisions.map((revision, i) =>
          i === 0 ? (
            <StepsList key={revision} revision={revision} steps={data.steps.filter((s) => s.revision === revision)} />
          ) : (
            <details key={revision}>
              <summary className="cursor-pointer text-sm text-accent underline">{t("earlierRevision", { revision })}</summary>
              <div className="mt-2">
                <StepsList revision={revision} steps={data.steps.filter((s) => s.revision === revision)} />
              </div>
            </details>
          ),
        )}
      </section>

      <section aria-labelledby="task-deliverable-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="task-deliverable-title" className="text-xl font-semibold">
            {t("deliverable")}
          </h2>
          {reviewing && !editing && task.deliverable ? (
            <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
              <Pencil aria-hidden="true" />
              {t("edit")}
            </Button>
          ) : null}
        </div>
        {editing && reviewing ? (
          <DeliverableEditor tenantSlug={tenantSlug} id={task.id} initial={task.deliverable ?? ""} onDone={() => setEditing(false)} />
        ) : task.deliverable ? (
          <div className="rounded-lg border border-border p-4" data-testid="task-deliverable">
            <SafeMarkdown text={task.deliverable} />
          </div>
        ) : (
          <p className="text-muted-fg">{isTaskActive(task.status) ? t("deliverablePending") : t("noDeliverable")}</p>
        )}
      </section>

      {reviewing && !editing ? <ReviewActions tenantSlug={tenantSlug} id={task.id} onReviewed={() => headingRef.current?.focus()} /> : null}
      {task.status === "done" ? (
        <Link href={`/t/${tenantSlug}/tasks`} className={buttonVariants({ variant: "secondary", size: "sm", className: "self-start" })}>
          {t("backToTasks")}
        </Link>
      ) : null}
    </div>
  );
};
