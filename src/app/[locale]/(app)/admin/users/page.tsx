import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { NotAllowed } from "~/features/admin/not-allowed";
import { SearchForm } from "~/features/admin/search-form";
import { requireSession } from "~/lib/server-pages/require-session";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "admin" });
  return { title: t("usersTitle") };
};

const load = (q: string) =>
  loadForPlatformAdmin(async () => ({ users: await api.admin.users({ query: q || undefined, take: 100 }) }));

export default async function AdminUsersPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/users");
  const raw = (await searchParams).q;
  const q = typeof raw === "string" ? raw.trim().slice(0, 100) : "";
  const t = await getTranslations("admin");
  const tc = await getTranslations("common");
  const format = await getFormatter();
  const data = await load(q);
  if (!data.allowed) return <NotAllowed />;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("usersTitle")} lead={t("usersLead")} />
      <SearchForm id="admin-users-page-q" name="q" label={t("usersSearch")} value={q} keep={{}} />
      {data.users.length === 0 ? (
        <p className="text-muted-fg">{t("noResults")}</p>
      ) : (
        <Table>
          <caption className="sr-only">{t("usersTitle")}</caption>
          <THead>
            <tr>
              <Th>{t("email")}</Th>
              <Th>{t("name")}</Th>
              <Th>{t("accountStatus")}</Th>
              <Th>{t("isAdmin")}</Th>
              <Th>{t("workspaces")}</Th>
              <Th>{t("created")}</Th>
            </tr>
          </THead>
          <tbody>
            {data.users.map((u) => (
              <tr key={u.id}>
                <Td className="break-all font-medium">
                  <Link href={`/admin/users/${u.id}`} className="text-accent underline hover:text-accent-hover">
                    {u.email}
                  </Link>
                </Td>
                <Td>{u.name ?? "—"}</Td>
                <Td>{u.disabledAt ? <Badge variant="danger">{t("disabled")}</Badge> : <Badge variant="success">{t("active")}</Badge>}</Td>
                <Td>{u.isPlatformAdmin ? <Badge variant="accent">{tc("yes")}</Badge> : tc("no")}</Td>
                <Td>{u.tenantCount}</Td>
                <Td>
                  <time dateTime={u.createdAt.toISOString()}>{format.dateTime(u.createdAt, "short")}</time>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
