import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { loadChatPersonas } from "~/features/chat/server";
import { loadTask } from "~/features/tasks/server";
import { TaskView } from "~/features/tasks/task-view";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string; taskId: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "tasks" });
  return { title: t("taskMetaTitle") };
};

export default async function TaskPage({ params }: Props) {
  const { locale: segment, tenantSlug, taskId } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/tasks/${taskId}`);
  if (loaded.suspended) return <SuspendedNotice />;
  const t = await getTranslations("tasks");
  const [data, personas] = await Promise.all([loadTask(tenantSlug, taskId), loadChatPersonas(tenantSlug)]);
  const personaName = personas.find((p) => p.key === data.task.personaKey)?.name ?? data.task.personaKey;
  return (
    <div className="flex flex-col gap-4">
      <Link href={`/t/${tenantSlug}/tasks`} className="inline-flex items-center gap-1 self-start text-sm text-accent underline hover:text-accent-hover">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {t("backToTasks")}
      </Link>
      <TaskView tenantSlug={tenantSlug} initial={data} canWrite={hasRole(loaded.tenant.role, "MEMBER")} personaName={personaName} />
    </div>
  );
}
