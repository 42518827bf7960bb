import { getTranslations } from "next-intl/server";
import { buttonVariants } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";

/**
 * The body of a section's not-found.tsx: rendered inside the section's layout,
 * so the shell and its navigation stay. `title`/`body` are keys of the
 * notFound namespace; the link leads back to the section's start.
 */
export const SectionNotFound = async ({
  title = "title",
  body = "body",
  back,
}: {
  title?: "title" | "workspaceTitle" | "adminTitle";
  body?: "body" | "workspaceBody" | "adminBody";
  back: { href: string; label: "backToWorkspaces" | "backToAdmin" };
}) => {
  const t = await getTranslations("notFound");
  return (
    <div className="flex max-w-2xl flex-col gap-4" data-testid="section-not-found">
      <title>{t("metaTitle")}</title>
      <h1 className="text-3xl font-bold tracking-tight">{t(title)}</h1>
      <p className="text-muted-fg">{t(body)}</p>
      <Link href={back.href} className={buttonVariants({ variant: "primary", className: "self-start" })}>
        {t(back.label)}
      </Link>
    </div>
  );
};
