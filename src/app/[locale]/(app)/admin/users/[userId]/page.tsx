import { ArrowLeft, ArrowRight } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { PageHeader } from "~/components/layout/page-frame";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { NotAllowed } from "~/features/admin/not-allowed";
import { PlatformAdminActions } from "~/features/admin/platform-admin-actions";
import { UserActions } from "~/features/admin/user-actions";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; userId: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "admin" });
  return { title: t("userMetaTitle") };
};

const load = (userId: string) =>
  loadForPlatformAdmin(async () => ({ user: await api.admin.user({ userId }) }), { missing: "notFound" });

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex flex-col gap-1 sm:flex-row sm:gap-4">
    <dt className="w-48 shrink-0 text-sm font-medium text-muted-fg">{label}</dt>
    <dd className="break-all text-sm">{children}</dd>
  </div>
);

export default async function AdminUserPage({ params }: Props) {
  const { locale: segment, userId } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const session = await requireSession(locale, `/admin/users/${userId}`);
  const t = await getTranslations("admin");
  const ts = await getTranslations("status");
  const tr = await getTranslations("roles");
  const tc = await getTranslations("common");
  const format = await getFormatter();
  const data = await load(userId);
  if (!data.allowed) return <NotAllowed />;
  const u = data.user;

  return (
    <div className="flex flex-col gap-10">
      <div className="flex flex-col gap-4">
        <Link href="/admin/users" className="inline-flex items-center gap-1 text-sm text-accent underline hover:text-accent-hover">
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t("backToUsers")}
        </Link>
        <PageHeader title={u.email} lead={u.name ?? undefined} />
        <UserActions userId={u.id} email={u.email} disabled={u.disabledAt !== null} isSelf={u.id === session.user.id} />
        <PlatformAdminActions userId={u.id} email={u.email} isPlatformAdmin={u.isPlatformAdmin} disabled={u.disabledAt !== null} isSelf={u.id === session.user.id} />
      </div>

      <dl className="flex flex-col gap-3">
        <Row label={t("accountStatus")}>
          {u.disabledAt ? (
            <>
              <Badge variant="danger">{t("disabled")}</Badge> <time dateTime={u.disabledAt.toISOString()}>{format.dateTime(u.disabledAt, "long")}</time>
            </>
          ) : (
            <Badge variant="success">{t("active")}</Badge>
          )}
        </Row>
        <Row label={t("isAdmin")}>{u.isPlatformAdmin ? tc("yes") : tc("no")}</Row>
        <Row label={t("activeSessions")}>{format.number(u.activeSessions)}</Row>
        <Row label={t("lastSignIn")}>{u.lastSignInAt ? <time dateTime={u.lastSignInAt.toISOString()}>{format.dateTime(u.lastSignInAt, "long")}</time> : t("never")}</Row>
        <Row label={t("created")}>
          <time dateTime={u.createdAt.toISOString()}>{format.dateTime(u.createdAt, "long")}</time>
        </Row>
      </dl>

      <section aria-labelledby="user-memberships-title" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="user-memberships-title" className="text-xl font-semibold">
            {t("workspaces")}
          </h2>
          <Link href={{ pathname: "/admin/audit", query: { actor: u.email } }} className="inline-flex items-center gap-1 text-sm font-medium text-accent underline hover:text-accent-hover">
            {t("viewUserAudit")}
            <ArrowRight aria-hidden="true" className="size-4" />
          </Link>
        </div>
        {u.memberships.length === 0 ? (
          <p className="text-muted-fg">{t("noMemberships")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("workspaces")}</caption>
            <THead>
              <tr>
                <Th>{t("name")}</Th>
                <Th>{t("slug")}</Th>
                <Th>{t("role")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("joined")}</Th>
              </tr>
            </THead>
            <tbody>
              {u.memberships.map((m) => (
                <tr key={m.tenantId}>
                  <Td className="font-medium">
                    <Link href={`/admin/tenants/${m.tenantId}`} className="text-accent underline hover:text-accent-hover">
                      {m.tenantName}
                    </Link>
                  </Td>
                  <Td className="font-mono text-xs">{m.tenantSlug}</Td>
                  <Td>{tr(m.role)}</Td>
                  <Td>
                    <Badge variant={m.tenantStatus === "ACTIVE" ? "success" : "danger"}>{ts(m.tenantStatus)}</Badge>
                  </Td>
                  <Td>
                    <time dateTime={m.joinedAt.toISOString()}>{format.dateTime(m.joinedAt, "short")}</time>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </div>
  );
}
