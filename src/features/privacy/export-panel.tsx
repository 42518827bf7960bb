"use client";

import { useTranslations } from "next-intl";
import { DataExports } from "~/components/data-export/data-exports";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";

/**
 * The privacy centre's one-click full export (issue 16): owners and admins build an archive of the
 * whole workspace, follow its progress and download it through a signed, expiring link.
 */
export const ExportPanel = ({ tenantSlug }: { tenantSlug: string }) => {
  const t = useTranslations("privacyExport");
  return (
    <Card>
      <CardHeader>
        <CardTitle id="privacy-export-title">{t("title")}</CardTitle>
        <CardDescription>{t("lead")}</CardDescription>
      </CardHeader>
      <CardContent>
        <DataExports tenantSlug={tenantSlug} scope="workspace" headingId="privacy-export-list-title" />
      </CardContent>
    </Card>
  );
};
