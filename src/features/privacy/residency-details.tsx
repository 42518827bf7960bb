import { useTranslations } from "next-intl";
import { REGIONAL_PROVIDERS, regionalEndpoint } from "~/lib/provider-regions";
import type { ResidencyRegion } from "~/lib/regions";

/**
 * What the saved residency region changes, said plainly: where new originals are stored (the
 * operator's storage for the region, or the default one when there is none) and which provider
 * endpoints serve it (an honest "none" where a vendor has no regional endpoint).
 */
export const ResidencyDetails = ({ region, dedicatedStorage }: { region: ResidencyRegion; dedicatedStorage: boolean }) => {
  const t = useTranslations("privacy.residency");
  const tp = useTranslations("providers.providerNames");
  return (
    <div className="flex flex-col gap-3 text-sm">
      <div>
        <h3 className="font-medium">{t("storageTitle")}</h3>
        <p className="text-muted-fg">{dedicatedStorage ? t("storageDedicated") : t("storageShared")}</p>
      </div>
      <div>
        <h3 className="font-medium">{t("providersTitle")}</h3>
        <ul className="list-disc pl-5 text-muted-fg">
          {REGIONAL_PROVIDERS.map((p) => {
            const url = regionalEndpoint(p, region);
            return (
              <li key={p} className="break-words">
                {url ? t("endpoint", { provider: tp(p), url }) : t("noEndpoint", { provider: tp(p) })}
              </li>
            );
          })}
          <li>{t("compatibleNote", { provider: tp("openaiCompatible") })}</li>
        </ul>
      </div>
    </div>
  );
};
