import { ShieldAlert } from "lucide-react";
import { getTranslations } from "next-intl/server";

/** What a non-admin sees on an admin page (the procedure refused them, FORBIDDEN). */
export const NotAllowed = async () => {
  const t = await getTranslations("admin");
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <ShieldAlert aria-hidden="true" className="size-10 text-danger" />
      <h1 className="text-3xl font-bold tracking-tight">{t("notAllowedTitle")}</h1>
      <p className="text-muted-fg">{t("notAllowedBody")}</p>
    </div>
  );
};
