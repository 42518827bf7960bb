import { setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { AppShell } from "~/components/layout/app-shell";
import { CommandPalette } from "~/features/command-palette/command-palette";
import { redirect } from "~/i18n/navigation";
import { auth } from "~/server/auth";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

// Every signed-in page reads the session: never prerendered.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const session = await auth();
  if (!session) return redirect({ href: "/sign-in", locale });
  const tenants = await api.tenant.list().catch(() => []);
  return (
    <AppShell
      user={session.user}
      tenants={tenants.map((x) => ({ slug: x.slug, name: x.name }))}
      palette={<CommandPalette tenants={tenants.map((x) => ({ slug: x.slug, name: x.name, role: x.role }))} isPlatformAdmin={session.user.isPlatformAdmin} />}
    >
      {children}
    </AppShell>
  );
}
