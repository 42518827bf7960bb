import { ArrowLeft } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "~/i18n/navigation";
import { SubpageHeader } from "./page-frame";

/**
 * A workspace settings sub-page's header (privacy, security, access reviews, personas, providers):
 * the link back to /t/<slug>/settings above the page's h1 and lead. One place, so every sub-page's
 * way back looks and behaves the same (self-start keeps the link's target as wide as its text).
 */
export const SettingsSubpageHeader = ({ tenantSlug, backLabel, title, lead }: { tenantSlug: string; backLabel: string; title: ReactNode; lead?: ReactNode }) => (
  <SubpageHeader
    back={
      <Link href={`/t/${tenantSlug}/settings`} className="inline-flex items-center gap-1 self-start text-sm text-accent underline hover:text-accent-hover">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {backLabel}
      </Link>
    }
    title={title}
    lead={lead}
  />
);
