import { ChevronDown } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { SettingsSubpageHeader } from "~/components/layout/settings-subpage-header";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardHeader } from "~/components/ui/card";
import { ConfirmOnboardingFact } from "~/features/onboarding/confirm-fact-button";
import { PersonaEditor } from "~/features/personas/persona-form";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { cn } from "~/lib/cn";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "personas" });
  return { title: t("metaTitle") };
};

export default async function PersonasPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/settings/personas`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("personas");
  const isAdmin = hasRole(tenant.role, "ADMIN");
  const { personas, credentials } = isAdmin ? await api.persona.list({ tenantSlug }) : { personas: [], credentials: [] };
  // The onboarding step "personas reviewed": an admin confirms them as they are here (customising one counts too).
  const reviewed = isAdmin ? (await api.onboarding.get({ tenantSlug })).steps.some((s) => s.key === "personas" && s.done) : false;

  return (
    <div className="flex flex-col gap-10">
      <SettingsSubpageHeader tenantSlug={tenantSlug} backLabel={t("backToSettings")} title={t("title")} lead={t("lead")} />

      {isAdmin ? (
        <section className="flex flex-col gap-4" aria-labelledby="personas-list-title">
          <h2 id="personas-list-title" className="text-xl font-semibold">
            {t("listTitle")}
          </h2>
          <ConfirmOnboardingFact tenantSlug={tenantSlug} fact="personas" confirmed={reviewed} />
          <ul className="grid items-start gap-6 lg:grid-cols-2">
            {personas.map((p) => {
              const m = p.effectiveModel;
              const titleId = `persona-${p.key}-title`;
              return (
                <li key={p.key}>
                  <Card>
                    <CardHeader>
                      <div className="flex flex-wrap items-center gap-2">
                        <h3 id={titleId} className="mr-auto text-lg font-semibold text-fg">
                          {p.name}
                        </h3>
                        <Badge variant={p.enabled ? "success" : "neutral"}>{p.enabled ? t("enabled") : t("disabled")}</Badge>
                        {p.customised ? <Badge variant="accent">{t("customised")}</Badge> : null}
                      </div>
                      {p.name !== p.builtInName ? <p className="text-xs text-muted-fg">{t("templateName", { name: p.builtInName })}</p> : null}
                    </CardHeader>
                    <CardContent className="flex flex-col gap-4">
                      <dl className="flex flex-col gap-3 text-sm">
                        <div>
                          <dt className="font-medium">{t("mandate")}</dt>
                          <dd className="text-muted-fg">{p.mandate}</dd>
                        </div>
                        <div>
                          <dt className="font-medium">{t("answersWith")}</dt>
                          <dd className="break-words text-muted-fg">
                            {m.offline ? t("offlineModel") : m.model ? t("modelVia", { model: m.model, credential: m.credentialLabel ?? "" }) : null}
                            {!m.offline && !m.model ? <span className="text-danger">{t("modelMissing", { credential: m.credentialLabel ?? "" })}</span> : null}
                          </dd>
                        </div>
                      </dl>
                      <details className="group">
                        <summary className={cn(buttonVariants({ variant: "secondary", size: "sm" }), "cursor-pointer list-none [&::-webkit-details-marker]:hidden")}>
                          <ChevronDown aria-hidden="true" className="transition-transform group-open:rotate-180" />
                          {t("edit", { name: p.name })}
                        </summary>
                        <div className="pt-4">
                          <PersonaEditor tenantSlug={tenantSlug} persona={p} credentials={credentials} />
                        </div>
                      </details>
                    </CardContent>
                  </Card>
                </li>
              );
            })}
          </ul>
        </section>
      ) : (
        <Alert variant="info">{t("adminsOnly")}</Alert>
      )}
    </div>
  );
}
