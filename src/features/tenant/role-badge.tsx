import { useTranslations } from "next-intl";
import { Badge } from "~/components/ui/badge";
import type { TRole } from "~/lib/roles";

const VARIANT: Record<TRole, "accent" | "success" | "neutral"> = { OWNER: "accent", ADMIN: "success", MEMBER: "neutral", VIEWER: "neutral" };

/** Works in server and client components (useTranslations is isomorphic). */
export const RoleBadge = ({ role }: { role: TRole }) => {
  const t = useTranslations("roles");
  return <Badge variant={VARIANT[role]}>{t(role)}</Badge>;
};
