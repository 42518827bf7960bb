"use client";

import { Download } from "lucide-react";
import { useTranslations } from "next-intl";
import { useParams } from "next/navigation";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { buttonVariants } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "~/components/ui/dialog";
import { Button } from "~/components/ui/button";
import type { Citation } from "~/lib/chat-message";
import { cn } from "~/lib/cn";
import { documentOriginalUrl } from "~/lib/document-urls";
import { citedNumbers } from "./citation-markers";

/*
 * The sources of a grounded answer: "[n]" markers in the text become buttons
 * named after the document and page ("[Finance policy, p. 3]"); each opens a
 * dialog with the saved passage and a link to the original. The passage is the
 * one saved with the answer, so it still shows after the document was deleted.
 */

type CitationsValue = { byNumber: ReadonlyMap<number, Citation> };
const CitationsContext = createContext<CitationsValue | null>(null);

/** Makes an answer's citations available to the markers rendered inside it. */
export const CitationsProvider = ({ citations, children }: { citations: readonly Citation[]; children: ReactNode }) => {
  const value = useMemo(() => ({ byNumber: new Map(citations.map((c) => [c.n, c])) }), [citations]);
  return <CitationsContext.Provider value={value}>{children}</CitationsContext.Provider>;
};

/** "Finance policy, p. 3" (localised), the source's short name. */
export const useSourceName = () => {
  const t = useTranslations("knowledge.citations");
  return (c: Pick<Citation, "title" | "page">) => (c.page !== null ? t("sourceWithPage", { title: c.title, page: c.page }) : c.title);
};

/** One source as a button that opens its passage. */
export const CitationButton = ({ citation, className }: { citation: Citation; className?: string }) => {
  const t = useTranslations("knowledge.citations");
  const source = useSourceName()(citation);
  const params = useParams<{ tenantSlug?: string }>();
  const tenantSlug = params?.tenantSlug ?? null;
  return (
    <Dialog>
      <DialogTrigger asChild>
        <button
          type="button"
          aria-label={t("markerLabel", { n: citation.n, source })}
          data-testid="citation"
          data-citation={citation.n}
          className={cn(
            "mx-0.5 inline rounded-sm px-0.5 align-baseline text-[0.9em] font-medium text-accent underline decoration-dotted underline-offset-2 hover:text-accent-hover focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
            className,
          )}
        >
          [{source}]
        </button>
      </DialogTrigger>
      <DialogContent className="max-w-2xl" data-testid="citation-dialog">
        <DialogTitle>{citation.title}</DialogTitle>
        <DialogDescription>
          {t("sourceNumber", { n: citation.n })}
          {citation.page !== null ? ` · ${t("page", { page: citation.page })}` : null}
          {citation.heading ? ` · ${citation.heading}` : null}
        </DialogDescription>
        <blockquote
          className="mt-4 max-h-[50vh] overflow-y-auto whitespace-pre-wrap break-words rounded-md border-l-4 border-accent bg-surface p-3 text-sm leading-relaxed"
          data-testid="citation-passage"
          tabIndex={0}
          aria-label={t("passageLabel")}
        >
          {citation.text}
        </blockquote>
        <DialogFooter>
          {tenantSlug ? (
            <a href={documentOriginalUrl(tenantSlug, citation.documentId)} className={buttonVariants({ variant: "secondary", size: "md" })} download>
              <Download aria-hidden="true" />
              {t("download")}
            </a>
          ) : null}
          <DialogClose asChild>
            <Button variant="primary">{t("close")}</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
};

/**
 * What a marker element from the Markdown renders: the source's button when
 * the answer has citation `n`, else the marker as the plain text it was.
 */
export const CitationMarker = ({ n }: { n: number }) => {
  const ctx = useContext(CitationsContext);
  const citation = ctx?.byNumber.get(n);
  return citation ? <CitationButton citation={citation} /> : <>{`[${n}]`}</>;
};

/** The compact "Sources" list under an answer: the citations the text actually refers to, in order of mention. */
export const SourcesList = ({ text, citations }: { text: string; citations: readonly Citation[] }) => {
  const t = useTranslations("knowledge.citations");
  const cited = useMemo(() => {
    const byNumber = new Map(citations.map((c) => [c.n, c]));
    return citedNumbers(text).flatMap((n) => {
      const c = byNumber.get(n);
      return c ? [c] : [];
    });
  }, [text, citations]);
  if (cited.length === 0) return null;
  return (
    <div className="border-t border-border pt-2 text-sm" data-testid="sources">
      <p className="font-medium text-muted-fg">{t("sources")}</p>
      <ol className="mt-1 flex flex-col gap-1">
        {cited.map((c) => (
          <li key={c.n} className="flex gap-1">
            <span className="tabular-nums text-muted-fg">{c.n}.</span>
            <CitationButton citation={c} className="mx-0 text-left" />
          </li>
        ))}
      </ol>
    </div>
  );
};
