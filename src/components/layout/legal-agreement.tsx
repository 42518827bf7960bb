"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Link } from "~/i18n/navigation";

const LINK_CLASS = "font-medium text-accent underline hover:text-accent-hover";

/**
 * The sentence that links the Terms of Service and the Privacy Policy where an account is
 * created: the sign-up box's label ("I agree to…") and the sign-in page's notice ("By continuing
 * you agree to…", for accounts a magic link or SSO creates: auth/config.ts records the version).
 * `newTab` for links inside a form being filled in: following them must not lose what was typed.
 */
export const LegalAgreementText = ({ message, newTab = false }: { message: "agreeLabel" | "continuingAgrees"; newTab?: boolean }) => {
  const t = useTranslations("legal");
  const link = (href: "/legal/terms" | "/legal/privacy") =>
    function LegalLink(chunks: ReactNode) {
      return newTab ? (
        <Link href={href} target="_blank" rel="noopener" className={LINK_CLASS}>
          {chunks}
          <span className="sr-only"> {t("opensInNewTab")}</span>
        </Link>
      ) : (
        <Link href={href} className={LINK_CLASS}>
          {chunks}
        </Link>
      );
    };
  const tags = { terms: link("/legal/terms"), privacy: link("/legal/privacy") };
  return <>{message === "agreeLabel" ? t.rich("agreeLabel", tags) : t.rich("continuingAgrees", tags)}</>;
};
