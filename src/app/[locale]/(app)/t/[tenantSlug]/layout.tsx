import type { ReactNode } from "react";
import { TenantNav } from "~/features/tenant/tenant-nav";
import { ZTenantSlug } from "~/lib/slug";

export const dynamic = "force-dynamic";

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string; tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const valid = ZTenantSlug.safeParse(tenantSlug).success;
  return (
    <>
      {valid ? <TenantNav tenantSlug={tenantSlug} /> : null}
      {children}
    </>
  );
}
