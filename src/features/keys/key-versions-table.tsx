"use client";

import { useTranslations } from "next-intl";
import { StatusBadge } from "~/components/ui/status-badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { DestroyKeyDialog } from "./destroy-key-dialog";
import { useKeyFormat, VERSION_VARIANTS, type KeyStatus } from "./key-format";

type Version = KeyStatus["versions"][number];

const When = ({ at }: { at: Date | null }) => {
  const f = useKeyFormat();
  return at ? <time dateTime={at.toISOString()}>{f.dateTime(at)}</time> : <span className="text-muted-fg">—</span>;
};

/** What the actions cell offers: Destroy (owners, retired, waiting period over), the date it becomes possible, or nothing. */
const VersionAction = ({ v, now, isOwner, tenantSlug, focusAfterId, onDestroyed }: { v: Version; now: number; isOwner: boolean; tenantSlug: string; focusAfterId: string; onDestroyed: (version: number) => void }) => {
  const t = useTranslations("keys");
  const f = useKeyFormat();
  if (v.status !== "retired" || !v.destroyableFrom) return <span className="text-muted-fg">—</span>;
  if (v.destroyableFrom.getTime() > now) {
    return <span className="text-sm text-muted-fg">{t("destroyableFrom", { date: f.date(v.destroyableFrom) })}</span>;
  }
  if (!isOwner) return <span className="text-sm text-muted-fg">{t("destroyOwnersOnly")}</span>;
  return <DestroyKeyDialog tenantSlug={tenantSlug} version={v.version} focusAfterId={focusAfterId} onDestroyed={onDestroyed} />;
};

/** Every data-key version of the workspace, newest first, with how many secrets each still protects. */
export const KeyVersionsTable = (props: {
  versions: Version[];
  now: number;
  isOwner: boolean;
  tenantSlug: string;
  focusAfterId: string;
  onDestroyed: (version: number) => void;
}) => {
  const t = useTranslations("keys");
  const f = useKeyFormat();
  const versions = [...props.versions].sort((a, b) => b.version - a.version);
  return (
    <Table>
      <caption className="sr-only">{t("versionsCaption")}</caption>
      <THead>
        <tr>
          <Th>{t("colVersion")}</Th>
          <Th>{t("colStatus")}</Th>
          <Th>{t("colCreated")}</Th>
          <Th>{t("colDeactivated")}</Th>
          <Th>{t("colRetired")}</Th>
          <Th>{t("colDestroyed")}</Th>
          <Th>{t("colMasterKey")}</Th>
          <Th className="text-right">{t("colSecrets")}</Th>
          <Th>{t("colActions")}</Th>
        </tr>
      </THead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} data-testid="key-version" data-version={v.version}>
            <Th scope="row" className="font-mono">
              {t("versionValue", { version: v.version })}
            </Th>
            <Td className="whitespace-nowrap">
              <StatusBadge status={v.status} variants={VERSION_VARIANTS} label={f.versionStatus(v.status)} testId="key-version-status" />
            </Td>
            <Td>
              <When at={v.createdAt} />
            </Td>
            <Td>
              <When at={v.deactivatedAt} />
            </Td>
            <Td>
              <When at={v.retiredAt} />
            </Td>
            <Td>
              <When at={v.destroyedAt} />
            </Td>
            <Td className="whitespace-nowrap">{t("masterVersionValue", { version: v.kekVersion })}</Td>
            <Td className="text-right tabular-nums">{f.number(v.secrets)}</Td>
            <Td>
              <VersionAction v={v} {...props} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
};
