import { ArrowRight, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
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
  return { title: t("metaTitle") };
};

const param = (v: string | string[] | undefined) => (typeof v === "string" ? v.trim().slice(0, 100) : "");

const load = (q: string, uq: string) =>
  loadForPlatformAdmin(async () => {
    const [tenants, users] = await Promise.all([api.admin.tenants({ query: q || undefined }), api.admin.users({ query: uq || undefined })]);
    return { tenants, users };
  });

export default async function AdminPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin");
  const query = await searchParams;
  // `q` searches workspaces, `uq` searches users; each form keeps the other's value.
  const q = param(query.q);
  const uq = param(query.uq);
  const t = await getTranslations("admin");
  const ts = await getTranslations("status");
  const tc = await getTranslations("common");
  const format = await getFormatter();
  const data = await load(q, uq);

  if (!data.allowed) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <ShieldAlert aria-hidden="true" className="size-10 text-danger" />
        <h1 className="text-3xl font-bold tracking-tight">{t("notAllowedTitle")}</h1>
        <p className="text-muted-fg">{t("notAllowedBody")}</p>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-12">
      <PageHeader
        title={t("title")}
        actions={
          <Link href="/admin/jobs" className="inline-flex items-center gap-1 text-sm font-medium text-accent underline hover:text-accent-hover">
            {t("jobsLink")}
            <ArrowRight aria-hidden="true" className="size-4" />
          </Link>
        }
      />

      <section className="flex flex-col gap-4">
        <h2 id="admin-tenants-title" className="text-xl font-semibold">
          {t("tenantsTitle")}
        </h2>
        <SearchForm id="admin-tenants-q" name="q" label={t("tenantsSearch")} value={q} keep={{ uq }} />
        {data.tenants.length === 0 ? (
          <p className="text-muted-fg">{t("noResults")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("tenantsTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("name")}</Th>
                <Th>{t("slug")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("plan")}</Th>
                <Th>{t("members")}</Th>
                <Th>{t("created")}</Th>
              </tr>
            </THead>
            <tbody>
              {data.tenants.map((x) => (
                <tr key={x.id}>
                  <Td className="font-medium">
                    <Link href={`/admin/tenants/${x.id}`} className="text-accent underline hover:text-accent-hover">
                      {x.name}
                    </Link>
                  </Td>
                  <Td className="font-mono text-xs">{x.slug}</Td>
                  <Td>
                    <Badge variant={x.status === "ACTIVE" ? "success" : "danger"}>{ts(x.status)}</Badge>
                  </Td>
                  <Td className="capitalize">{x.plan}</Td>
                  <Td>{x.memberCount}</Td>
                  <Td>
                    <time dateTime={x.createdAt.toISOString()}>{format.dateTime(x.createdAt, "short")}</time>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      <section className="flex flex-col gap-4">
        <h2 id="admin-users-title" className="text-xl font-semibold">
          {t("usersTitle")}
        </h2>
        <SearchForm id="admin-users-q" name="uq" label={t("usersSearch")} value={uq} keep={{ q }} />
        {data.users.length === 0 ? (
          <p className="text-muted-fg">{t("noResults")}</p>
        ) : (
          <Table>
            <caption className="sr-only">{t("usersTitle")}</caption>
            <THead>
              <tr>
                <Th>{t("email")}</Th>
                <Th>{t("name")}</Th>
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
                    </Link>{" "}
                    {u.disabledAt ? <Badge variant="danger">{t("disabled")}</Badge> : null}
                  </Td>
                  <Td>{u.name ?? "—"}</Td>
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
      </section>
    </div>
  );
}
