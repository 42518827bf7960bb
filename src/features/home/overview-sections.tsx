import { ArrowRight } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { Link } from "~/i18n/navigation";
import type { RouterOutputs } from "~/trpc/react";

type Overview = RouterOutputs["overview"]["get"];

/*
 * The Overview's sections: what needs the user now, each row a link to its
 * object, each list bounded with a "see all" link, and every empty section
 * saying what to do next (the action only for those who may take it).
 */

const linkClass = "font-medium text-accent underline hover:text-accent-hover";

const Section = ({ id, title, children, more }: { id: string; title: string; children: ReactNode; more?: { href: string; label: string } | null }) => (
  <section aria-labelledby={id} className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-5" data-testid={id}>
    <div className="flex items-baseline justify-between gap-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {more ? (
        <Link href={more.href} className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          {more.label}
          <ArrowRight aria-hidden="true" className="size-4" />
        </Link>
      ) : null}
    </div>
    {children}
  </section>
);

const Empty = ({ text, action }: { text: string; action?: { href: string; label: string } | null }) => (
  <p className="text-sm text-muted-fg" data-testid="overview-empty">
    {text}{" "}
    {action ? (
      <Link href={action.href} className={linkClass}>
        {action.label}
      </Link>
    ) : null}
  </p>
);

const Rows = ({ children }: { children: ReactNode }) => <ul className="flex flex-col divide-y divide-border">{children}</ul>;

export const OverviewSections = async ({ tenantSlug, overview, canSeeUsage }: { tenantSlug: string; overview: Overview; canSeeUsage: boolean }) => {
  const t = await getTranslations("home");
  const format = await getFormatter();
  const base = `/t/${tenantSlug}`;
  const more = (show: boolean, href: string) => (show ? { href, label: t("more") } : null);
  const { tasksForReview, activeMeetings, recentMeetings, actionItems, conversations, usage, canWrite } = overview;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Section id="overview-tasks" title={t("tasksTitle")} more={more(tasksForReview.more, `${base}/tasks`)}>
        {tasksForReview.items.length === 0 ? (
          <Empty text={t("tasksEmpty")} action={canWrite ? { href: `${base}/tasks/new`, label: t("tasksEmptyAction") } : null} />
        ) : (
          <Rows>
            {tasksForReview.items.map((task) => (
              <li key={task.id} className="flex flex-wrap justify-between gap-2 py-2">
                <Link href={`${base}/tasks/${task.id}`} className={linkClass}>
                  {task.title}
                </Link>
                <span className="text-sm text-muted-fg">{t("taskBy", { persona: task.personaName })}</span>
              </li>
            ))}
          </Rows>
        )}
      </Section>

      <Section id="overview-meetings" title={t("meetingsTitle")} more={more(activeMeetings.more || recentMeetings.length > 0, `${base}/meetings`)}>
        {activeMeetings.items.length === 0 && recentMeetings.length === 0 ? (
          <Empty text={t("meetingsEmpty")} action={canWrite ? { href: `${base}/meetings/new`, label: t("meetingsEmptyAction") } : null} />
        ) : null}
        {activeMeetings.items.length > 0 ? (
          <div className="flex flex-col gap-1">
            <h3 className="text-sm font-semibold text-muted-fg">{t("meetingsRunning")}</h3>
            <Rows>
              {activeMeetings.items.map((m) => (
                <li key={m.id} className="flex flex-wrap justify-between gap-2 py-2">
                  <Link href={`${base}/meetings/${m.id}`} className={linkClass}>
                    {m.title}
                  </Link>
                  <span className="text-sm text-muted-fg">{m.status === "running" ? t("meetingRunning") : t("meetingQueued")}</span>
                </li>
              ))}
            </Rows>
          </div>
        ) : null}
        {recentMeetings.length > 0 ? (
          <div className="flex flex-col gap-1">
            <h3 className="text-sm font-semibold text-muted-fg">{t("meetingsRecent")}</h3>
            <Rows>
              {recentMeetings.map((m) => (
                <li key={m.id} className="flex flex-col gap-1 py-2">
                  <Link href={`${base}/meetings/${m.id}`} className={linkClass}>
                    {m.title}
                  </Link>
                  {m.decisions.length === 0 ? (
                    <p className="text-sm text-muted-fg">{t("meetingNoDecisions")}</p>
                  ) : (
                    <ul className="list-disc pl-5 text-sm">
                      {m.decisions.map((d, i) => (
                        <li key={i} className="line-clamp-2">
                          {d}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </Rows>
          </div>
        ) : null}
      </Section>

      <Section id="overview-actions" title={t("actionsTitle")} more={more(actionItems.more, `${base}/meetings`)}>
        {actionItems.items.length === 0 ? (
          <Empty text={t("actionsEmpty")} action={{ href: `${base}/meetings`, label: t("actionsEmptyAction") }} />
        ) : (
          <Rows>
            {actionItems.items.map((a) => (
              <li key={a.id} className="flex flex-col gap-0.5 py-2">
                <Link href={`${base}/meetings/${a.meetingId}`} className={`${linkClass} line-clamp-2`}>
                  {a.description}
                </Link>
                <span className="text-sm text-muted-fg">
                  {t("actionOwner", { persona: a.ownerName, meeting: a.meetingTitle })}
                  {a.dueDate ? ` · ${t("actionDue", { date: format.dateTime(a.dueDate, { dateStyle: "medium", timeZone: "UTC" }) })}` : null}
                </span>
              </li>
            ))}
          </Rows>
        )}
      </Section>

      {canWrite ? (
        <Section id="overview-chats" title={t("chatsTitle")} more={more(conversations.more, `${base}/chat`)}>
          {conversations.items.length === 0 ? (
            <Empty text={t("chatsEmpty")} action={{ href: `${base}/chat`, label: t("chatsEmptyAction") }} />
          ) : (
            <Rows>
              {conversations.items.map((c) => (
                <li key={c.id} className="flex flex-wrap justify-between gap-2 py-2">
                  <Link href={`${base}/chat/${c.id}`} className={linkClass}>
                    {c.title}
                  </Link>
                  <span className="text-sm text-muted-fg">
                    {t("chatWith", { persona: c.personaName })} · <time dateTime={c.lastMessageAt.toISOString()}>{format.dateTime(c.lastMessageAt, "short")}</time>
                  </span>
                </li>
              ))}
            </Rows>
          )}
        </Section>
      ) : null}

      <Section id="overview-usage" title={t("usageTitle")} more={canSeeUsage ? { href: `${base}/usage`, label: t("usageDetails") } : null}>
        <UsageMeter usage={usage} text={usageText(t, format, usage)} label={t("usageBarLabel")} resets={t("usageResets", { date: format.dateTime(usage.resetsAt, { dateStyle: "long", timeZone: "UTC" }) })} />
      </Section>
    </div>
  );
};

type Translate = Awaited<ReturnType<typeof getTranslations<"home">>>;
type Format = Awaited<ReturnType<typeof getFormatter>>;

const usageText = (t: Translate, format: Format, usage: Overview["usage"]) =>
  usage.monthlyTokens === null
    ? t("usageUnlimited", { used: format.number(usage.used) })
    : t("usageUsed", {
        used: format.number(usage.used),
        budget: format.number(usage.monthlyTokens),
        percent: format.number(usage.used / usage.monthlyTokens, { style: "percent", maximumFractionDigits: 0 }),
      });

const UsageMeter = ({ usage, text, label, resets }: { usage: Overview["usage"]; text: string; label: string; resets: string }) => {
  const limit = usage.monthlyTokens;
  if (limit === null) return <p className="text-sm">{text}</p>;
  const percent = Math.min(100, (usage.used / limit) * 100);
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm tabular-nums">{text}</p>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(usage.used, limit)}
        aria-valuetext={text}
        className="h-2.5 w-full overflow-hidden rounded-full bg-bg ring-1 ring-border"
      >
        <div className={`h-full ${usage.exhausted ? "bg-danger" : usage.warning ? "bg-warning" : "bg-accent"}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-muted-fg">{resets}</p>
    </div>
  );
};
