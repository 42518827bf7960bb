import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { InviteForm } from "~/features/invitations/invite-form";
import { LeaveWorkspaceButton, RemoveMemberButton, RevokeInvitationButton } from "~/features/members/member-actions";
import { MemberRoleSelect } from "~/features/members/member-role-select";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { RoleBadge } from "~/features/tenant/role-badge";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { hasRole, type TRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "members" });
  return { title: t("metaTitle") };
};

const STATUS_VARIANT = { PENDING: "accent", ACCEPTED: "success", REVOKED: "neutral", EXPIRED: "warning" } as const;

/** Admins may remove members and viewers; owners may remove anyone (the server re-checks). */
const canRemove = (me: TRole, target: TRole) => me === "OWNER" || (me === "ADMIN" && !hasRole(target, "ADMIN"));

export default async function MembersPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/members`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const isAdmin = hasRole(tenant.role, "ADMIN");
  const isOwner = tenant.role === "OWNER";
  const [members, invitations] = await Promise.all([api.member.list({ tenantSlug }), isAdmin ? api.invitation.list({ tenantSlug }) : Promise.resolve([])]);
  const t = await getTranslations("members");
  const ti = await getTranslations("invitations");
  const ts = await getTranslations("status");
  const format = await getFormatter();

  return (
    <div className="flex flex-col gap-10">
      <PageHeader title={t("title")} lead={tenant.name} actions={<LeaveWorkspaceButton tenantSlug={tenantSlug} />} />

      <Table>
        <caption className="sr-only">{t("tableCaption", { name: tenant.name })}</caption>
        <THead>
          <tr>
            <Th>{t("name")}</Th>
            <Th>{t("email")}</Th>
            <Th>{t("role")}</Th>
            <Th>{t("joined")}</Th>
            {isAdmin ? <Th>{t("actions")}</Th> : null}
          </tr>
        </THead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <Td className="font-medium">
                {m.name ?? "—"} {m.isSelf ? <span className="text-muted-fg">{t("you")}</span> : null}
              </Td>
              <Td className="break-all">{m.email}</Td>
              <Td>
                {isOwner ? (
                  <MemberRoleSelect tenantSlug={tenantSlug} membershipId={m.id} email={m.email} role={m.role} />
                ) : (
                  <RoleBadge role={m.role} />
                )}
              </Td>
              <Td>
                <time dateTime={m.joinedAt.toISOString()}>{format.dateTime(m.joinedAt, "short")}</time>
              </Td>
              {isAdmin ? (
                <Td>{!m.isSelf && canRemove(tenant.role, m.role) ? <RemoveMemberButton tenantSlug={tenantSlug} membershipId={m.id} email={m.email} /> : null}</Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>

      {isAdmin ? (
        <>
          <Card>
            <CardHeader>
              <CardTitle id="invite-title">{ti("title")}</CardTitle>
            </CardHeader>
            <CardContent>
              <InviteForm tenantSlug={tenantSlug} canInviteOwner={isOwner} />
            </CardContent>
          </Card>

          <section className="flex flex-col gap-4">
            <h2 id="invitations-title" className="text-xl font-semibold">
              {ti("listTitle")}
            </h2>
            {invitations.length === 0 ? (
              <p className="text-muted-fg">{ti("empty")}</p>
            ) : (
              <Table>
                <caption className="sr-only">{ti("listCaption")}</caption>
                <THead>
                  <tr>
                    <Th>{ti("recipient")}</Th>
                    <Th>{t("role")}</Th>
                    <Th>{ti("status")}</Th>
                    <Th>{ti("expires")}</Th>
                    <Th>{ti("invitedBy")}</Th>
                    <Th>{t("actions")}</Th>
                  </tr>
                </THead>
                <tbody>
                  {invitations.map((inv) => {
                    const who = inv.email || ti("anyone");
                    return (
                      <tr key={inv.id}>
                        <Td className="break-all">{who}</Td>
                        <Td>
                          <RoleBadge role={inv.role} />
                        </Td>
                        <Td>
                          <Badge variant={STATUS_VARIANT[inv.status]}>{ts(inv.status)}</Badge>
                        </Td>
                        <Td>
                          <time dateTime={inv.expiresAt.toISOString()}>{format.dateTime(inv.expiresAt, "short")}</time>
                        </Td>
                        <Td className="break-all">{inv.invitedBy}</Td>
                        <Td>{inv.status === "PENDING" ? <RevokeInvitationButton tenantSlug={tenantSlug} invitationId={inv.id} who={who} /> : null}</Td>
                      </tr>
                    );
                  })}
                </tbody>
              </Table>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
