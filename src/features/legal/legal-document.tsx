import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert, AlertTitle } from "~/components/ui/alert";
import { LEGAL_EFFECTIVE_DATE, LEGAL_VERSION } from "~/lib/legal";

/** The sections of each document, in order; their headings and text are messages legal.<doc>.sections.<id>. */
export const TERMS_SECTIONS = ["acceptance", "accounts", "acceptableUse", "customerData", "aiOutput", "fees", "confidentiality", "termination", "warranties", "changes", "contact"] as const;
export const PRIVACY_SECTIONS = ["whoWeAre", "dataWeCollect", "purposes", "aiProviders", "retention", "residency", "security", "rights", "cookies", "children", "changes", "contact"] as const;

type TermsSection = (typeof TERMS_SECTIONS)[number];
type PrivacySection = (typeof PRIVACY_SECTIONS)[number];
type Doc = { doc: "terms"; sections: typeof TERMS_SECTIONS } | { doc: "privacy"; sections: typeof PRIVACY_SECTIONS };

/** A section's in-page anchor: stable across locales, so a link to #terms-fees works in any language. */
const anchorOf = (doc: string, id: string) => `${doc}-${id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * A legal document (Terms of Service, Privacy Policy): its version and effective date
 * (src/lib/legal.ts, the date formatted in the page's locale), the "placeholder pending legal
 * review" notice while the wording is a draft, a table of contents with in-page anchors, and
 * numbered sections under one h1 (h2 each), so the heading order stays flat and predictable.
 */
export const LegalDocument = async ({ doc, sections }: Doc) => {
  const [t, format] = await Promise.all([getTranslations("legal"), getFormatter()]);
  // The date is a calendar day, not an instant: formatted in UTC so no time zone moves it.
  const effective = format.dateTime(new Date(`${LEGAL_EFFECTIVE_DATE}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" });
  const title = doc === "terms" ? t("termsTitle") : t("privacyTitle");
  const heading = (id: string) => (doc === "terms" ? t(`terms.sections.${id as TermsSection}.title`) : t(`privacy.sections.${id as PrivacySection}.title`));
  const body = (id: string) => (doc === "terms" ? t(`terms.sections.${id as TermsSection}.body`) : t(`privacy.sections.${id as PrivacySection}.body`));
  return (
    <article className="flex max-w-3xl flex-col gap-8">
      <div>
        <PageHeader title={title} lead={`${t("version", { version: LEGAL_VERSION })} · ${t("effective", { date: effective })}`} />
        <Alert variant="warning">
          <AlertTitle>{t("placeholderTitle")}</AlertTitle>
          <p className="mt-1">{t("placeholderBody")}</p>
        </Alert>
      </div>
      <nav aria-labelledby={`${doc}-contents`} className="rounded-md border border-border bg-surface p-4">
        <h2 id={`${doc}-contents`} className="text-lg font-semibold">
          {t("contents")}
        </h2>
        <ol className="mt-2 flex list-decimal flex-col gap-1 pl-6">
          {sections.map((id) => (
            <li key={id}>
              <a href={`#${anchorOf(doc, id)}`} className="text-accent underline hover:text-accent-hover">
                {heading(id)}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {sections.map((id, i) => (
        <section key={id} id={anchorOf(doc, id)} className="scroll-mt-4">
          <h2 className="text-xl font-semibold">
            {i + 1}. {heading(id)}
          </h2>
          <p className="mt-2 leading-relaxed">{body(id)}</p>
        </section>
      ))}
    </article>
  );
};
