import type { ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { cn } from "~/lib/cn";
import { MAIN_ID, SkipLink } from "./skip-link";
import { SiteFooter } from "./site-footer";

/** skip link + header + <main> + footer: the landmark structure every page shares. */
export const PageFrame = ({ header, children, mainClassName }: { header: ReactNode; children: ReactNode; mainClassName?: string }) => (
  <div className="flex min-h-screen flex-col">
    <SkipLink />
    {header}
    <main id={MAIN_ID} tabIndex={-1} className={cn("mx-auto w-full min-w-0 max-w-6xl flex-1 px-4 py-8 [overflow-wrap:anywhere] focus:outline-none sm:px-6", mainClassName)}>
      {children}
    </main>
    <SiteFooter />
  </div>
);

/** A page heading block: the page's single h1 and an optional lead paragraph. */
export const PageHeader = ({ title, lead, actions }: { title: ReactNode; lead?: ReactNode; actions?: ReactNode }) => (
  <div className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
    <div className="flex flex-col gap-2">
      <h1 className="text-3xl font-bold tracking-tight text-fg">{title}</h1>
      {lead ? <p className="max-w-2xl text-base text-muted-fg">{lead}</p> : null}
    </div>
    {actions ? <div className="flex gap-3">{actions}</div> : null}
  </div>
);

/** A settings sub-page's header: a link back to its parent page above the usual PageHeader. */
export const SubpageHeader = ({ back, title, lead }: { back: ReactNode; title: ReactNode; lead?: ReactNode }) => (
  <div className="flex flex-col gap-4">
    {back}
    <PageHeader title={title} lead={lead} />
  </div>
);

/** A page the viewer's role may not use: its header and why, instead of the content. */
export const RestrictedPage = ({ header, message }: { header: ReactNode; message: ReactNode }) => (
  <div className="flex flex-col gap-6">
    {header}
    <Alert variant="info">{message}</Alert>
  </div>
);
