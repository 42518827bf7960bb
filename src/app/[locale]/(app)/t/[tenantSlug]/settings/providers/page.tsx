import { DEFAULT_RESIDENCY_REGION } from "~/lib/regions";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { SettingsSubpageHeader } from "~/components/layout/settings-subpage-header";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { ConfirmOnboardingFact } from "~/features/onboarding/confirm-fact-button";
import { AddCredentialForm } from "~/features/providers/add-credential-form";
import { DeleteCredentialButton, TestCredentialButton } from "~/features/providers/credential-actions";
import { providerNameKey } from "~/lib/provider-name";
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
  const t = await getTranslations({ locale, namespace: "providers" });
  return { title: t("metaTitle") };
};

export default async function ProvidersPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/settings/providers`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("providers");
  const isAdmin = hasRole(tenant.role, "ADMIN");
  const credentials = isAdmin ? await api.provider.list({ tenantSlug }) : [];
  // The data residency preference decides which regional provider endpoint the form offers.
  const residency = isAdmin ? (await api.privacy.get({ tenantSlug })).dataResidency : DEFAULT_RESIDENCY_REGION;
  // The onboarding step "a provider key": without one, an admin may choose to keep the offline model on purpose.
  const offlineKept = isAdmin && credentials.length === 0 ? (await api.onboarding.get({ tenantSlug })).steps.some((s) => s.key === "provider" && s.done) : false;
  const format = await getFormatter();

  return (
    <div className="flex flex-col gap-10">
      <SettingsSubpageHeader tenantSlug={tenantSlug} backLabel={t("backToSettings")} title={t("title")} lead={t("lead")} />

      {isAdmin ? (
        <>
          <section className="flex flex-col gap-4" aria-labelledby="providers-list-title">
            <h2 id="providers-list-title" className="text-xl font-semibold">
              {t("listTitle")}
            </h2>
            {credentials.length === 0 ? (
              <>
                <p className="text-muted-fg">{t("empty")}</p>
                <ConfirmOnboardingFact tenantSlug={tenantSlug} fact="offlineModel" confirmed={offlineKept} />
              </>
            ) : (
              <Table>
                <caption className="sr-only">{t("listCaption", { name: tenant.name })}</caption>
                <THead>
                  <tr>
                    <Th>{t("label")}</Th>
                    <Th>{t("provider")}</Th>
                    <Th>{t("key")}</Th>
                    <Th>{t("defaultModel")}</Th>
                    <Th>{t("lastTest")}</Th>
                    <Th>{t("actions")}</Th>
                  </tr>
                </THead>
                <tbody>
                  {credentials.map((c) => (
                    <tr key={c.id}>
                      <Td className="font-medium">{c.label}</Td>
                      <Td>
                        {t(`providerNames.${providerNameKey(c.provider)}`)}
                        {c.baseUrl ? <span className="block break-all font-mono text-xs text-muted-fg">{c.baseUrl}</span> : null}
                      </Td>
                      <Td>
                        <span aria-hidden="true" className="font-mono">
                          ••••{c.last4}
                        </span>
                        <span className="sr-only">{t("maskedKey", { last4: c.last4 })}</span>
                      </Td>
                      <Td className="break-all">{c.defaultModel ?? <span className="text-muted-fg">{t("none")}</span>}</Td>
                      <Td>
                        {c.lastTestedAt ? (
                          <span className="flex flex-col items-start gap-1">
                            <Badge variant={c.lastTestOk ? "success" : "danger"}>{c.lastTestOk ? t("testOk") : t("testFailed")}</Badge>
                            <time dateTime={c.lastTestedAt.toISOString()} className="text-xs text-muted-fg">
                              {format.dateTime(c.lastTestedAt, "short")}
                            </time>
                          </span>
                        ) : (
                          <span className="text-muted-fg">{t("neverTested")}</span>
                        )}
                      </Td>
                      <Td>
                        <div className="flex flex-wrap items-start gap-2">
                          <TestCredentialButton tenantSlug={tenantSlug} id={c.id} label={c.label} />
                          <DeleteCredentialButton tenantSlug={tenantSlug} id={c.id} label={c.label} />
                        </div>
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>

          <Card className="max-w-2xl">
            <CardHeader>
              <CardTitle id="provider-add-title">{t("addTitle")}</CardTitle>
            </CardHeader>
            <CardContent>
              <AddCredentialForm tenantSlug={tenantSlug} residency={residency} />
            </CardContent>
          </Card>
        </>
      ) : (
        <Alert variant="info">{t("adminsOnly")}</Alert>
      )}
    </div>
  );
}
