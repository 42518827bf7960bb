"use client";

import { useTranslations } from "next-intl";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { Link } from "~/i18n/navigation";
import type { RouterOutputs } from "~/trpc/react";
import { useReliabilityFormat } from "./format";

type Top = RouterOutputs["admin"]["ops"]["topTenants"];

const TopTable = ({ rows, caption }: { rows: Top["last7Days"]; caption: string }) => {
  const t = useTranslations("reliability.ops");
  const f = useReliabilityFormat();
  if (rows.length === 0) return <p className="text-sm text-muted-fg">{t("topEmpty")}</p>;
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <THead>
        <tr>
          <Th>{t("colWorkspace")}</Th>
          <Th className="text-right">{t("colCalls")}</Th>
          <Th className="text-right">{t("colTokens")}</Th>
        </tr>
      </THead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.tenantId}>
            <Th scope="row" className="font-normal">
              {r.tenantSlug ? (
                <Link href={`/admin/tenants/${r.tenantId}`} className="text-accent underline hover:text-accent-hover">
                  {r.tenantName} <span className="font-mono text-xs">({r.tenantSlug})</span>
                </Link>
              ) : (
                t("deletedTenant")
              )}
            </Th>
            <Td className="text-right tabular-nums">{f.number(r.calls)}</Td>
            <Td className="text-right tabular-nums">{f.number(r.tokens)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
};

/** The heaviest workspaces by LLM tokens over 7 and 30 days. */
export const TopTenants = ({ top }: { top: Top }) => {
  const t = useTranslations("reliability.ops");
  return (
    <section aria-labelledby="ops-top-title" className="flex flex-col gap-4">
      <h2 id="ops-top-title" className="text-xl font-semibold">
        {t("topTitle")}
      </h2>
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="flex flex-col gap-2">
          <h3 className="text-lg font-semibold">{t("top7")}</h3>
          <TopTable rows={top.last7Days} caption={t("topCaption7")} />
        </div>
        <div className="flex flex-col gap-2">
          <h3 className="text-lg font-semibold">{t("top30")}</h3>
          <TopTable rows={top.last30Days} caption={t("topCaption30")} />
        </div>
      </div>
    </section>
  );
};
