import type { ReactNode } from "react";
import { AccessReviewNotice } from "~/features/access-reviews/access-review-notice";
import { canSeeAudit } from "~/features/audit/audit-tab";
import { TokenBudgetNotice } from "~/features/budgets/token-budget-notice";
import { SupportNotice } from "~/features/support/support-notice";
import { TenantNav } from "~/features/tenant/tenant-nav";
import { ZTenantSlug } from "~/lib/slug";

export const dynamic = "force-dynamic";

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string; tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const valid = ZTenantSlug.safeParse(tenantSlug).success;
  const showAudit = valid && (await canSeeAudit(tenantSlug));
  return (
    <>
      {valid ? <TenantNav tenantSlug={tenantSlug} showAudit={showAudit} /> : null}
      {valid ? <SupportNotice tenantSlug={tenantSlug} /> : null}
      {valid ? <AccessReviewNotice tenantSlug={tenantSlug} /> : null}
      {valid ? <TokenBudgetNotice tenantSlug={tenantSlug} /> : null}
      {children}
    </>
  );
}
