"use client";

import { useTranslations } from "next-intl";
import { StatusBadge } from "~/components/ui/status-badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { Link } from "~/i18n/navigation";
import { OPERATION_VARIANTS, useKeyFormat, type Operation } from "./key-format";

type Row = Operation & { tenantId?: string | null };

const When = ({ at }: { at: Date | null }) => {
  const f = useKeyFormat();
  return at ? <time dateTime={at.toISOString()}>{f.dateTime(at)}</time> : <span className="text-muted-fg">—</span>;
};

/**
 * Key operations, newest first: the workspace's history on its security page,
 * the fleet's recent operations on /admin/keys (with `showTenant`, linking to
 * the admin workspace page).
 */
export const OperationTable = ({ operations, caption, showTenant = false }: { operations: Row[]; caption: string; showTenant?: boolean }) => {
  const t = useTranslations("keys");
  const ta = useTranslations("adminKeys");
  const f = useKeyFormat();
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <THead>
        <tr>
          <Th>{t("colKind")}</Th>
          {showTenant ? <Th>{ta("colTenant")}</Th> : null}
          <Th>{t("colTrigger")}</Th>
          <Th>{t("colVersions")}</Th>
          <Th>{t("colStatus")}</Th>
          <Th className="text-right">{t("colRows")}</Th>
          <Th>{t("colStarted")}</Th>
          <Th>{t("colFinished")}</Th>
          <Th>{t("colError")}</Th>
        </tr>
      </THead>
      <tbody>
        {operations.map((op) => (
          <tr key={op.id} data-testid="key-operation" data-kind={op.kind}>
            <Th scope="row" className="font-normal">
              {f.kind(op.kind)}
            </Th>
            {showTenant ? (
              <Td>
                {op.tenantId ? (
                  <Link href={`/admin/tenants/${op.tenantId}`} className="font-mono text-xs text-accent underline hover:text-accent-hover">
                    {op.tenantId}
                  </Link>
                ) : (
                  <span className="text-muted-fg">{ta("platformWide")}</span>
                )}
              </Td>
            ) : null}
            <Td>{f.trigger(op.trigger)}</Td>
            <Td className="whitespace-nowrap">{f.versions(op)}</Td>
            <Td className="whitespace-nowrap">
              <StatusBadge status={op.status} variants={OPERATION_VARIANTS} label={f.status(op.status)} testId="key-operation-status" />
            </Td>
            <Td className="text-right tabular-nums">{t("rowsValue", { done: f.number(op.rowsDone), total: f.number(op.rowsTotal) })}</Td>
            <Td>
              <When at={op.startedAt} />
            </Td>
            <Td>
              <When at={op.finishedAt} />
            </Td>
            <Td>{op.error ? f.reason(op.error) : <span className="text-muted-fg">—</span>}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
};
