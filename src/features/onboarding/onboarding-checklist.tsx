"use client";

import { useMutation } from "@tanstack/react-query";
import { CheckCircle2, Circle, PartyPopper } from "lucide-react";
import { useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { onboardingStepHref } from "~/lib/onboarding-steps";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

type Checklist = RouterOutputs["onboarding"]["get"];

/*
 * The onboarding checklist on the Overview: a progress bar and "n of m", each
 * step a link to where it is done (ticked by doing it, never here). When every
 * step is done it celebrates once: an admin's "got it" hides the list for the
 * whole workspace (onboarding.dismiss, audited), a member's only for them in
 * this browser. The celebration's motion runs only without
 * prefers-reduced-motion (motion-safe:).
 */

const seenKey = (tenantSlug: string) => `ocsuite.onboarding.celebrated.${tenantSlug}`;
const SEEN_EVENT = "ocsuite:onboarding-celebrated";
const subscribe = (onChange: () => void) => {
  window.addEventListener(SEEN_EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(SEEN_EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
};

const useCelebrationSeen = (tenantSlug: string) => {
  // The server and the first paint assume "seen", so a member who acknowledged it never sees it flash.
  const seen = useSyncExternalStore(subscribe, () => window.localStorage.getItem(seenKey(tenantSlug)) === "1", () => true);
  const markSeen = () => {
    window.localStorage.setItem(seenKey(tenantSlug), "1");
    window.dispatchEvent(new Event(SEEN_EVENT));
  };
  return { seen, markSeen };
};

export const OnboardingChecklist = ({ tenantSlug, checklist }: { tenantSlug: string; checklist: Checklist }) => {
  const t = useTranslations("onboarding");
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const dismiss = useMutation(trpc.onboarding.dismiss.mutationOptions(feedback.handlers));
  const celebration = useCelebrationSeen(tenantSlug);
  const { doneCount, total } = checklist;

  if (checklist.complete) {
    if (!checklist.canManage && celebration.seen) return null;
    return (
      <section aria-labelledby="onboarding-title" role="status" className="flex flex-wrap items-center gap-4 rounded-lg border border-success/30 bg-success-soft p-5 text-success" data-testid="onboarding-complete">
        <PartyPopper aria-hidden="true" className="size-8 shrink-0 motion-safe:animate-bounce" />
        <div className="mr-auto flex flex-col gap-1">
          <h2 id="onboarding-title" className="text-lg font-semibold">
            {t("celebrationTitle")}
          </h2>
          <p className="text-sm">{t("celebrationBody")}</p>
        </div>
        <Button variant="secondary" size="sm" disabled={dismiss.isPending} onClick={() => (checklist.canManage ? dismiss.mutate({ tenantSlug }) : celebration.markSeen())}>
          {checklist.canManage ? t("dismiss") : t("gotIt")}
        </Button>
        {feedback.error ? <Alert variant="danger" role="alert" className="w-full">{feedback.error}</Alert> : null}
      </section>
    );
  }

  const progressText = t("progressText", { done: doneCount, total });
  return (
    <section aria-labelledby="onboarding-title" className="flex flex-col gap-4 rounded-lg border border-border bg-surface p-5" data-testid="onboarding-checklist">
      <div className="flex flex-wrap items-start gap-3">
        <div className="mr-auto flex flex-col gap-1">
          <h2 id="onboarding-title" className="text-xl font-semibold">
            {t("title")}
          </h2>
          <p className="text-sm text-muted-fg">{t("lead")}</p>
        </div>
        {checklist.canManage ? (
          <Button variant="ghost" size="sm" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ tenantSlug })}>
            {t("dismiss")}
          </Button>
        ) : null}
      </div>
      <div className="flex items-center gap-3">
        <div
          role="progressbar"
          aria-label={t("progressLabel")}
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={doneCount}
          aria-valuetext={progressText}
          className="h-2.5 flex-1 overflow-hidden rounded-full bg-bg ring-1 ring-border"
        >
          <div className="h-full bg-accent motion-safe:transition-[width]" style={{ width: `${total === 0 ? 0 : (doneCount / total) * 100}%` }} />
        </div>
        <span className="text-sm font-medium tabular-nums" data-testid="onboarding-count">
          {t("count", { done: doneCount, total })}
        </span>
      </div>
      {feedback.error ? (
        <Alert variant="danger" role="alert">
          {feedback.error}
        </Alert>
      ) : null}
      <ol className="grid gap-2 sm:grid-cols-2">
        {checklist.steps.map((step) => (
          <li key={step.key} data-testid={`onboarding-step-${step.key}`} data-done={step.done}>
            <Link
              href={onboardingStepHref(tenantSlug, step.key)}
              className={cn("flex h-full items-start gap-3 rounded-md border border-border bg-bg p-3 hover:border-border-strong", step.done && "opacity-80")}
            >
              {step.done ? <CheckCircle2 aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-success" /> : <Circle aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-muted-fg" />}
              <span className="flex flex-col gap-0.5">
                <span className={cn("font-medium text-accent underline", step.done && "text-fg line-through")}>{t(`steps.${step.key}.title`)}</span>
                <span className="text-sm text-muted-fg">{t(`steps.${step.key}.hint`)}</span>
                <span className="sr-only">{step.done ? t("done") : t("todo")}</span>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
};

/** For owners and admins while the checklist is hidden: bring it back for everyone. */
export const RestoreOnboardingButton = ({ tenantSlug }: { tenantSlug: string }) => {
  const t = useTranslations("onboarding");
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const restore = useMutation(trpc.onboarding.restore.mutationOptions(feedback.handlers));
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-muted-fg" data-testid="onboarding-hidden">
      <p>{t("restoreLead")}</p>
      <Button variant="secondary" size="sm" disabled={restore.isPending} onClick={() => restore.mutate({ tenantSlug })}>
        {t("restore")}
      </Button>
      {feedback.error ? (
        <Alert variant="danger" role="alert">
          {feedback.error}
        </Alert>
      ) : null}
    </div>
  );
};
