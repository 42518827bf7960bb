import { ArrowLeft } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Alert } from "~/components/ui/alert";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { reasonOf, trpcCodeOf } from "~/lib/server-pages/trpc-errors";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";

export const SUPPORT_VIEWS = ["conversations", "documents", "meetings", "tasks"] as const;
export type TSupportView = (typeof SUPPORT_VIEWS)[number];

/** Runs one support read; a refusal (session over, nothing there) becomes a message instead of an error page. */
const attempt = async <T,>(read: () => Promise<T>): Promise<{ ok: true; data: T } | { ok: false; reason: string }> => {
  try {
    return { ok: true, data: await read() };
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "FORBIDDEN" || code === "NOT_FOUND") return { ok: false, reason: reasonOf(err) ?? "notFound" };
    throw err;
  }
};

/**
 * What the admin opened inside a support session. Only the selected view is
 * loaded, so the tenant's audit trail records exactly what was looked at.
 */
export const SupportReadView = async ({ tenantId, view, conversationId, basePath }: { tenantId: string; view: TSupportView; conversationId?: string; basePath: string }) => {
  const t = await getTranslations("support");
  const te = await getTranslations("errors");
  const format = await getFormatter();
  const refused = (reason: string) => <Alert variant="danger">{te.has(reason as "generic") ? te(reason as "generic") : te("generic")}</Alert>;
  const empty = <p className="text-muted-fg">{t("nothingHere")}</p>;
  const when = (d: Date) => <time dateTime={d.toISOString()}>{format.dateTime(d, "long")}</time>;

  if (view === "conversations" && conversationId) {
    const r = await attempt(() => api.support.conversation({ tenantId, conversationId }));
    if (!r.ok) return refused(r.reason);
    const c = r.data;
    return (
      <section className="flex flex-col gap-4" aria-labelledby="support-conversation-title">
        <Link href={`${basePath}?view=conversations`} className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToConversations")}
        </Link>
        <h2 id="support-conversation-title" className="text-xl font-semibold">
          {c.title}
        </h2>
        <p className="text-sm text-muted-fg">{t("conversationMeta", { author: c.authorEmail ?? "—", persona: c.personaKey })}</p>
        <ol className="flex flex-col gap-3">
          {c.messages.map((m) => (
            <li key={m.id} className="rounded-md border border-border px-4 py-3">
              <p className="text-xs font-medium text-muted-fg">
                {t(m.role === "user" ? "roleUser" : "roleAssistant")} · {when(m.createdAt)}
              </p>
              <p className="mt-1 whitespace-pre-wrap break-words text-sm">{m.content}</p>
            </li>
          ))}
        </ol>
      </section>
    );
  }

  if (view === "conversations") {
    const r = await attempt(() => api.support.conversations({ tenantId }));
    if (!r.ok) return refused(r.reason);
    if (r.data.length === 0) return empty;
    return (
      <Table>
        <caption className="sr-only">{t("views.conversations")}</caption>
        <THead>
          <tr>
            <Th>{t("colTitle")}</Th>
            <Th>{t("colAuthor")}</Th>
            <Th>{t("colPersona")}</Th>
            <Th>{t("colMessages")}</Th>
            <Th>{t("colLastMessage")}</Th>
          </tr>
        </THead>
        <tbody>
          {r.data.map((c) => (
            <tr key={c.id}>
              <Td className="font-medium">
                <Link href={`${basePath}?view=conversations&conversation=${c.id}`} className="text-accent underline hover:text-accent-hover">
                  {c.title}
                </Link>
              </Td>
              <Td className="break-all">{c.authorEmail ?? "—"}</Td>
              <Td>{c.personaKey}</Td>
              <Td>{c.messageCount}</Td>
              <Td>{when(c.lastMessageAt)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    );
  }

  if (view === "documents") {
    const r = await attempt(() => api.support.documents({ tenantId }));
    if (!r.ok) return refused(r.reason);
    if (r.data.length === 0) return empty;
    return (
      <Table>
        <caption className="sr-only">{t("views.documents")}</caption>
        <THead>
          <tr>
            <Th>{t("colTitle")}</Th>
            <Th>{t("colFilename")}</Th>
            <Th>{t("colSize")}</Th>
            <Th>{t("colStatus")}</Th>
            <Th>{t("colCreated")}</Th>
          </tr>
        </THead>
        <tbody>
          {r.data.map((d) => (
            <tr key={d.id}>
              <Td className="font-medium">{d.title}</Td>
              <Td className="break-all">{d.filename}</Td>
              <Td>{format.number(d.sizeBytes / 1024, { style: "unit", unit: "kilobyte", unitDisplay: "short", maximumFractionDigits: 1 })}</Td>
              <Td>{d.status}</Td>
              <Td>{when(d.createdAt)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    );
  }

  if (view === "meetings") {
    const r = await attempt(() => api.support.meetings({ tenantId }));
    if (!r.ok) return refused(r.reason);
    if (r.data.length === 0) return empty;
    return (
      <Table>
        <caption className="sr-only">{t("views.meetings")}</caption>
        <THead>
          <tr>
            <Th>{t("colTitle")}</Th>
            <Th>{t("colGoal")}</Th>
            <Th>{t("colStatus")}</Th>
            <Th>{t("colCreated")}</Th>
          </tr>
        </THead>
        <tbody>
          {r.data.map((m) => (
            <tr key={m.id}>
              <Td className="font-medium">{m.title}</Td>
              <Td className="max-w-md break-words">{m.goal}</Td>
              <Td>{m.status}</Td>
              <Td>{when(m.createdAt)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    );
  }

  const r = await attempt(() => api.support.tasks({ tenantId }));
  if (!r.ok) return refused(r.reason);
  if (r.data.length === 0) return empty;
  return (
    <Table>
      <caption className="sr-only">{t("views.tasks")}</caption>
      <THead>
        <tr>
          <Th>{t("colTitle")}</Th>
          <Th>{t("colPersona")}</Th>
          <Th>{t("colStatus")}</Th>
          <Th>{t("colCreated")}</Th>
        </tr>
      </THead>
      <tbody>
        {r.data.map((x) => (
          <tr key={x.id}>
            <Td className="font-medium">{x.title}</Td>
            <Td>{x.personaKey}</Td>
            <Td>{x.status}</Td>
            <Td>{when(x.createdAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
};
