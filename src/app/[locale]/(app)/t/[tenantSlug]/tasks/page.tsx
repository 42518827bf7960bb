import { Plus } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { buttonVariants } from "~/components/ui/button";
import { TasksList } from "~/features/tasks/tasks-list";
import { loadChatPersonas } from "~/features/chat/server";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "tasks" });
  return { title: t("metaTitle") };
};

/** The workspace's tasks: status, owner, due date and queue position; members add new ones. */
export default async function TasksPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/tasks`);
  if (loaded.suspended) return <SuspendedNotice />;
  const t = await getTranslations("tasks");
  const canWrite = hasRole(loaded.tenant.role, "MEMBER");
  const [list, personas] = await Promise.all([api.task.list({ tenantSlug }), loadChatPersonas(tenantSlug)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={t("title")}
        lead={t("lead")}
        actions={
          canWrite ? (
            <Link href={`/t/${tenantSlug}/tasks/new`} className={buttonVariants()}>
              <Plus aria-hidden="true" />
              {t("newTask")}
            </Link>
          ) : null
        }
      />
      <TasksList tenantSlug={tenantSlug} initial={list} canWrite={canWrite} personaNames={Object.fromEntries(personas.map((p) => [p.key, p.name]))} />
    </div>
  );
}
