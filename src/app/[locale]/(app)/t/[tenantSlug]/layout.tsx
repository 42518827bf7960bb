import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AccessReviewNotice } from "~/features/access-reviews/access-review-notice";
import { canSeeAudit } from "~/features/audit/audit-tab";
import { TokenBudgetNotice } from "~/features/budgets/token-budget-notice";
import { SupportNotice } from "~/features/support/support-notice";
import { PendingDeletionNotice } from "~/features/tenant/pending-deletion-notice";
import { TenantNav } from "~/features/tenant/tenant-nav";
import { ZTenantSlug } from "~/lib/slug";
import { api } from "~/trpc/server";

export const dynamic = "force-dynamic";

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string; tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const valid = ZTenantSlug.safeParse(tenantSlug).success;
  // An unknown workspace (or one the user is not a member of) is turned away here, before the
  // tabs and before the pages' loading skeletons stream: the app-level not-found renders inside
  // the shell with a real 404 status, and no tabs lead into a workspace that is not there.
  // (When the list cannot be read, the page's own loadTenant decides, as before.)
  const mine = valid ? await api.tenant.list().catch(() => null) : [];
  if (mine && !mine.some((x) => x.slug === tenantSlug)) notFound();
  const showAudit = valid && (await canSeeAudit(tenantSlug));
  return (
    <>
      {valid ? <TenantNav tenantSlug={tenantSlug} showAudit={showAudit} /> : null}
      {valid ? <PendingDeletionNotice tenantSlug={tenantSlug} /> : null}
      {valid ? <SupportNotice tenantSlug={tenantSlug} /> : null}
      {valid ? <AccessReviewNotice tenantSlug={tenantSlug} /> : null}
      {valid ? <TokenBudgetNotice tenantSlug={tenantSlug} /> : null}
      {children}
    </>
  );
}
