import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { DocumentsList, UsageBar } from "~/features/knowledge/documents-list";
import { uploadLimits } from "~/features/knowledge/server";
import { UploadPanel } from "~/features/knowledge/upload-panel";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "knowledge" });
  return { title: t("metaTitle") };
};

/** The workspace's documents: upload (members), status, storage use; what the personas answer from. */
export default async function KnowledgePage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/knowledge`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("knowledge");
  // Viewers read the documents; uploading, re-indexing and deleting take a member (the server enforces it too).
  const canWrite = hasRole(tenant.role, "MEMBER");
  const [list, usage] = await Promise.all([api.knowledge.list({ tenantSlug }), api.knowledge.usage({ tenantSlug })]);

  return (
    <div className="flex flex-col gap-10">
      <div className="flex flex-col gap-4">
        <PageHeader title={t("title")} lead={t("lead")} />
        <UsageBar tenantSlug={tenantSlug} initial={usage} />
      </div>
      {canWrite ? <UploadPanel tenantSlug={tenantSlug} maxFileBytes={uploadLimits().maxFileBytes} /> : <Alert variant="info">{t("viewerNotice")}</Alert>}
      <DocumentsList tenantSlug={tenantSlug} initial={list} canWrite={canWrite} />
    </div>
  );
}
