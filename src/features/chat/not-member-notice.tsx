import { Lock } from "lucide-react";
import { getTranslations } from "next-intl/server";

/** Shown on chat pages to viewers: chat needs the member role. */
export const NotMemberNotice = async () => {
  const t = await getTranslations("chat");
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <Lock aria-hidden="true" className="size-10 text-muted-fg" />
      <h1 className="text-3xl font-bold tracking-tight">{t("notMemberTitle")}</h1>
      <p className="text-muted-fg">{t("notMemberBody")}</p>
    </div>
  );
};
