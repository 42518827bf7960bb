import { Ban } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { buttonVariants } from "~/components/ui/button";
import { Link } from "~/i18n/navigation";

/** The page shown instead of a suspended workspace. */
export const SuspendedNotice = async () => {
  const t = await getTranslations("tenant");
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <Ban aria-hidden="true" className="size-10 text-danger" />
      <h1 className="text-3xl font-bold tracking-tight">{t("suspendedTitle")}</h1>
      <p className="text-muted-fg">{t("suspendedBody")}</p>
      <Link href="/workspaces" className={buttonVariants({ variant: "secondary", className: "self-start" })}>
        {t("backToWorkspaces")}
      </Link>
    </div>
  );
};
