"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { ClipboardList, ExternalLink } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button, buttonVariants } from "~/components/ui/button";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { SafeMarkdown } from "~/components/markdown/safe-markdown";
import { Link } from "~/i18n/navigation";
import { useFeatureErrorMessage } from "~/components/forms/field-errors";
import { DATE_ONLY } from "~/lib/date-only";
import { LIVE_POLL_MS } from "~/lib/live-poll";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { CancelMeetingButton, ExportMinutesButton, ResumeMeetingButton, useInvalidateMeeting } from "./meeting-actions";
import { MeetingStatusBadge } from "./meeting-status-badge";
import { isMeetingActive } from "./status";

type MeetingData = RouterOutputs["meeting"]["get"];
type Turn = MeetingData["turns"][number];
type Outcome = MeetingData["outcomes"][number];
type ActionItem = MeetingData["actionItems"][number];

const STANCE_VARIANTS = { support: "success", oppose: "danger", abstain: "neutral" } as const;

/** What changed since the last poll, as one sentence for the live region (nothing on the first render). */
const useAnnouncement = (data: MeetingData, nameOf: (key: string) => string) => {
  const t = useTranslations("meetings.live");
  const fingerprint = `${data.turns.length}|${data.outcomes.length}|${data.meeting.status}`;
  const [seen, setSeen] = useState({ fingerprint, turns: data.turns.length, outcomes: data.outcomes.length, status: data.meeting.status });
  const [message, setMessage] = useState("");
  // Adjusting state while rendering (not in an effect): the announcement lands with the data that caused it.
  if (fingerprint !== seen.fingerprint) {
    const parts: string[] = [];
    if (data.turns.length > seen.turns) {
      const latest = latestTurn(data.turns, data.meeting.personaKeys);
      const total = data.meeting.agenda.length * data.meeting.rounds * data.meeting.personaKeys.length;
      if (latest) parts.push(t("turn", { n: data.turns.length, total, name: nameOf(latest.personaKey) }));
    }
    if (data.outcomes.length > seen.outcomes) {
      const closed = [...data.outcomes].sort((a, b) => b.itemIndex - a.itemIndex)[0];
      if (closed) parts.push(t("itemClosed", { n: closed.itemIndex + 1, decision: closed.decision }));
    }
    if (data.meeting.status !== seen.status && ["completed", "failed", "cancelled"].includes(data.meeting.status)) {
      parts.push(t(data.meeting.status as "completed"));
    }
    setSeen({ fingerprint, turns: data.turns.length, outcomes: data.outcomes.length, status: data.meeting.status });
    if (parts.length > 0) setMessage(parts.join(" "));
  }
  return message;
};

/** The turn spoken last: the highest item, then round, then position in the speaking order (ids are not ordered). */
const latestTurn = (turns: Turn[], speakingOrder: string[]) =>
  [...turns].sort((a, b) => a.itemIndex - b.itemIndex || a.round - b.round || speakingOrder.indexOf(a.personaKey) - speakingOrder.indexOf(b.personaKey)).at(-1);

const CreateTaskButton = ({ tenantSlug, item, description }: { tenantSlug: string; item: ActionItem; description: string }) => {
  const t = useTranslations("meetings.outcome");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const errorMessage = useFeatureErrorMessage("tasks.reasons");
  const invalidate = useInvalidateMeeting();
  const [error, setError] = useState<string | null>(null);
  // The button is replaced by a link to the new task. Without this the focused
  // button unmounted and focus fell back to <body> (WCAG 2.4.3, found by
  // keyboard-journeys.spec.ts): focus moves to the link that took its place.
  const linkRef = useRef<HTMLAnchorElement>(null);
  const create = useMutation(
    trpc.task.createFromActionItem.mutationOptions({
      onSuccess: () => void invalidate(),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  useEffect(() => {
    if (create.data) linkRef.current?.focus();
  }, [create.data]);
  const taskId = item.taskId ?? create.data?.id ?? null;
  if (taskId)
    return (
      <Link
        ref={linkRef}
        href={`/t/${tenantSlug}/tasks/${encodeURIComponent(taskId)}`}
        className={buttonVariants({ variant: "secondary", size: "sm" })}
        aria-label={t("viewTaskLabel", { description })}
      >
        <ExternalLink aria-hidden="true" />
        {t("viewTask")}
      </Link>
    );
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        disabled={create.isPending}
        aria-label={t("createTaskLabel", { description })}
        onClick={() => {
          setError(null);
          create.mutate({ tenantSlug, actionItemId: item.id });
        }}
      >
        <ClipboardList aria-hidden="true" />
        {create.isPending ? tc("working") : t("createTask")}
      </Button>
      {error ? (
        <p role="alert" className="max-w-xs text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
};

const OutcomeBlock = ({
  tenantSlug,
  index,
  outcome,
  actionItems,
  nameOf,
  canWrite,
}: {
  tenantSlug: string;
  index: number;
  outcome: Outcome;
  actionItems: ActionItem[];
  nameOf: (key: string) => string;
  canWrite: boolean;
}) => {
  const t = useTranslations("meetings.outcome");
  const format = useFormatter();
  return (
    <div className="flex flex-col gap-4 rounded-lg border border-accent/40 bg-accent-soft/30 p-4" data-testid="meeting-outcome">
      <h3 className="text-lg font-semibold">{t("title")}</h3>
      {outcome.derived ? (
        <Alert variant="warning" data-testid="outcome-derived">
          {t("derived")}
        </Alert>
      ) : null}
      <div>
        <p className="text-sm font-semibold text-muted-fg">{t("decision")}</p>
        <div data-testid="meeting-decision">
          <SafeMarkdown text={outcome.decision} />
        </div>
      </div>
      {outcome.positions.length > 0 ? (
        <Table data-testid="meeting-positions">
          <caption className="px-4 py-2 text-left text-sm font-semibold">{t("positionsCaption", { n: index + 1 })}</caption>
          <THead>
            <tr>
              <Th>{t("persona")}</Th>
              <Th>{t("stance")}</Th>
              <Th>{t("rationale")}</Th>
            </tr>
          </THead>
          <tbody>
            {outcome.positions.map((p) => (
              <tr key={p.personaKey} data-testid="position-row">
                <Td className="font-medium">{nameOf(p.personaKey)}</Td>
                <Td>
                  <Badge variant={STANCE_VARIANTS[p.stance as keyof typeof STANCE_VARIANTS] ?? "neutral"}>{t.has(`stances.${p.stance}`) ? t(`stances.${p.stance}` as "stances.support") : p.stance}</Badge>
                </Td>
                <Td>{p.rationale}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <div>
        <p className="text-sm font-semibold text-muted-fg">{t("dissent")}</p>
        {outcome.dissent ? <SafeMarkdown text={outcome.dissent} /> : <p className="text-muted-fg">{t("noDissent")}</p>}
      </div>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-semibold text-muted-fg">{t("actionItems")}</p>
        {actionItems.length === 0 ? (
          <p className="text-muted-fg">{t("noActionItems")}</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {actionItems.map((a) => (
              <li key={a.id} className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-border bg-bg p-3" data-testid="action-item">
                <div className="flex min-w-0 flex-col gap-1">
                  <p className="break-words">{a.description}</p>
                  <p className="text-xs text-muted-fg">
                    {t("owner", { name: nameOf(a.ownerPersonaKey) })}
                    {" · "}
                    {a.dueDate ? t("due", { date: format.dateTime(new Date(a.dueDate), DATE_ONLY) }) : t("noDue")}
                  </p>
                </div>
                {canWrite || a.taskId ? <CreateTaskButton tenantSlug={tenantSlug} item={a} description={a.description} /> : null}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
};

/**
 * A meeting: header, live progress, and per agenda item the turns by round
 * then the chair's outcome. Polls while the meeting is queued or running; a
 * polite live region announces what changed (a turn, a closed item, the end),
 * never the whole page.
 */
export const MeetingView = ({ tenantSlug, initial, canWrite }: { tenantSlug: string; initial: MeetingData; canWrite: boolean }) => {
  const t = useTranslations("meetings.meeting");
  const te = useTranslations("errors");
  const format = useFormatter();
  const trpc = useTRPC();
  const { data = initial, isError } = useQuery({
    ...trpc.meeting.get.queryOptions({ tenantSlug, id: initial.meeting.id }),
    initialData: initial,
    refetchInterval: (query) => (isMeetingActive(query.state.data?.meeting.status ?? "") ? LIVE_POLL_MS : false),
  });
  const { meeting, progress } = data;
  const names = new Map(data.personas.map((p) => [p.key, p.name]));
  const nameOf = (key: string) => names.get(key) ?? key;
  const announcement = useAnnouncement(data, nameOf);
  const agenda = meeting.agenda;
  const order = (key: string) => meeting.personaKeys.indexOf(key);
  // progress counts the chair's closes too; the text says turns and items separately.
  const turnsTotal = agenda.length * meeting.rounds * meeting.personaKeys.length;
  const turnsText = t("turns", { done: data.turns.length, total: turnsTotal });
  const itemsText = t("itemsClosed", { done: data.outcomes.length, total: agenda.length });
  const percent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const active = isMeetingActive(meeting.status);

  return (
    <div className="flex flex-col gap-8" data-testid="meeting-view" data-status={meeting.status}>
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-3xl font-bold tracking-tight">{meeting.title}</h1>
          <MeetingStatusBadge status={meeting.status} />
        </div>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold text-muted-fg">{t("goal")}</dt>
          <dd className="whitespace-pre-wrap">{meeting.goal}</dd>
          <dt className="font-semibold text-muted-fg">{t("participants")}</dt>
          <dd>{meeting.personaKeys.map(nameOf).join(", ")}</dd>
          <dt className="font-semibold text-muted-fg">{t("chair")}</dt>
          <dd>{nameOf(meeting.chairKey)}</dd>
          <dt className="font-semibold text-muted-fg">{t("rounds")}</dt>
          <dd>{format.number(meeting.rounds)}</dd>
          <dt className="font-semibold text-muted-fg">{t("tokens")}</dt>
          <dd className="tabular-nums" data-testid="meeting-tokens">
            {t("tokensValue", { input: format.number(meeting.inputTokens), output: format.number(meeting.outputTokens) })}
          </dd>
        </dl>
        <div className="flex max-w-xl flex-col gap-2">
          <div className="flex justify-between text-sm">
            <span id="meeting-progress-label" className="font-medium">
              {t("progress")}
            </span>
            <span className="tabular-nums text-muted-fg" data-testid="meeting-progress">
              {turnsText} · {itemsText}
            </span>
          </div>
          <div
            role="progressbar"
            aria-labelledby="meeting-progress-label"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
            aria-valuetext={`${turnsText}, ${itemsText}`}
            className="h-2 w-full overflow-hidden rounded-full bg-surface ring-1 ring-border"
          >
            <div className="h-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
          </div>
        </div>
        <div className="flex flex-wrap items-start gap-3">
          {canWrite && active ? <CancelMeetingButton tenantSlug={tenantSlug} id={meeting.id} title={meeting.title} /> : null}
          {canWrite && (meeting.status === "failed" || meeting.status === "cancelled") ? <ResumeMeetingButton tenantSlug={tenantSlug} id={meeting.id} /> : null}
          <ExportMinutesButton tenantSlug={tenantSlug} id={meeting.id} />
        </div>
        {meeting.status === "failed" ? (
          <Alert variant="danger" data-testid="meeting-error">
            {t("failed", { reason: meeting.errorReason && te.has(meeting.errorReason as "generic") ? te(meeting.errorReason as "generic") : te("generic") })}
          </Alert>
        ) : null}
        {meeting.status === "cancelled" ? <Alert variant="warning">{t("cancelledNote")}</Alert> : null}
        {isError ? (
          <p role="alert" className="text-sm text-danger">
            {t("loadFailed")}
          </p>
        ) : null}
      </div>

      <p role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="meeting-announcements">
        {announcement}
      </p>

      {agenda.map((item, index) => {
        const turns = data.turns.filter((turn) => turn.itemIndex === index);
        const outcome = data.outcomes.find((o) => o.itemIndex === index);
        const rounds = [...new Set(turns.map((turn) => turn.round))].sort((a, b) => a - b);
        return (
          <section key={index} aria-labelledby={`agenda-item-${index}`} className="flex flex-col gap-4" data-testid="agenda-item">
            <h2 id={`agenda-item-${index}`} className="text-xl font-semibold">
              {t("itemHeading", { n: index + 1, text: item })}
            </h2>
            {turns.length === 0 ? <p className="text-muted-fg">{active ? t("waiting") : t("noTurns")}</p> : null}
            {rounds.map((round) => (
              <div key={round} className="flex flex-col gap-3">
                <h3 className="text-base font-semibold text-muted-fg">{t("round", { n: round })}</h3>
                <ol className="flex flex-col gap-3">
                  {turns
                    .filter((turn) => turn.round === round)
                    .sort((a, b) => order(a.personaKey) - order(b.personaKey))
                    .map((turn) => (
                      <li key={`${turn.personaKey}-${turn.round}`} className="rounded-lg border border-border p-4" data-testid="meeting-turn">
                        <p className="mb-2 font-semibold">{nameOf(turn.personaKey)}</p>
                        <SafeMarkdown text={turn.content} />
                      </li>
                    ))}
                </ol>
              </div>
            ))}
            {outcome ? (
              <OutcomeBlock
                tenantSlug={tenantSlug}
                index={index}
                outcome={outcome}
                actionItems={data.actionItems.filter((a) => a.itemIndex === index)}
                nameOf={nameOf}
                canWrite={canWrite}
              />
            ) : null}
          </section>
        );
      })}
    </div>
  );
};
