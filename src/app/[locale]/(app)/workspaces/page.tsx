import { ArrowRight, Building2 } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Badge } from "~/components/ui/badge";
import { requireSession } from "~/lib/server-pages/require-session";
import { RoleBadge } from "~/features/tenant/role-badge";
import { CreateWorkspaceForm } from "~/features/workspaces/create-workspace-form";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "workspaces" });
  return { title: t("metaTitle") };
};

export default async function WorkspacesPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/workspaces");
  const t = await getTranslations("workspaces");
  const ts = await getTranslations("status");
  const tenants = await api.tenant.list();

  return (
    <div className="flex flex-col gap-10">
      <PageHeader title={t("title")} />
      <section>
        {tenants.length === 0 ? (
          <p className="rounded-lg border border-dashed border-border-strong p-6 text-muted-fg">{t("empty")}</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {tenants.map((tenant) => (
              <li key={tenant.id}>
                <Link
                  href={`/t/${tenant.slug}`}
                  aria-label={t("open", { name: tenant.name })}
                  className="group flex h-full flex-col gap-3 rounded-lg border border-border bg-bg p-5 shadow-sm transition-colors hover:border-accent"
                >
                  <span className="flex items-center gap-2 text-lg font-semibold text-fg group-hover:text-accent">
                    <Building2 aria-hidden="true" className="size-5" />
                    {tenant.name}
                  </span>
                  <span className="flex items-center gap-2">
                    <RoleBadge role={tenant.role} />
                    {tenant.status === "SUSPENDED" ? <Badge variant="danger">{ts("SUSPENDED")}</Badge> : null}
                    <ArrowRight aria-hidden="true" className="ml-auto size-4 text-muted-fg" />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle id="create-workspace-title">{t("createTitle")}</CardTitle>
        </CardHeader>
        <CardContent>
          <CreateWorkspaceForm />
        </CardContent>
      </Card>
    </div>
  );
}
