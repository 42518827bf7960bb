"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { DataExports } from "~/components/data-export/data-exports";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";

/**
 * "Export my data" on the account page (issue 16): any member exports their own data of one
 * workspace (profile, membership, own conversations, meetings started, tasks created, documents
 * uploaded, own audit events). On the account page rather than the privacy centre because the
 * privacy centre is for admins, and this is every member's right.
 */
export const ExportMyData = ({ workspaces }: { workspaces: { slug: string; name: string }[] }) => {
  const t = useTranslations("privacyExport");
  const id = useId();
  const [slug, setSlug] = useState(workspaces[0]?.slug ?? "");
  if (workspaces.length === 0) return <p className="text-sm text-muted-fg">{t("noWorkspaces")}</p>;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <Label htmlFor={id}>{t("workspaceLabel")}</Label>
        <Select id={id} value={slug} onChange={(e) => setSlug(e.target.value)} data-testid="export-my-data-workspace">
          {workspaces.map((w) => (
            <option key={w.slug} value={w.slug}>
              {w.name}
            </option>
          ))}
        </Select>
      </div>
      <DataExports key={slug} tenantSlug={slug} scope="user" headingId="export-my-data-list-title" />
    </div>
  );
};
