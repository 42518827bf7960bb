import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Skeleton } from "~/components/ui/skeleton";

// The loading.tsx fallbacks of the route segments: a few page shapes, drawn
// inside the shell (the layouts stay), so a slow page shows where its content
// will be instead of a frozen previous page. Each is aria-busy with a visually
// hidden, localised "Loading…" that screen readers announce (role=status).

const Busy = ({ children }: { children: ReactNode }) => {
  const t = useTranslations("common");
  return (
    <div aria-busy="true" className="flex flex-col gap-6" data-testid="page-skeleton">
      <p role="status" className="sr-only">
        {t("loading")}
      </p>
      {children}
    </div>
  );
};

const HeaderSkeleton = ({ lead = true }: { lead?: boolean }) => (
  <div className="flex flex-col gap-3">
    <Skeleton className="h-9 w-2/3 max-w-sm" />
    {lead ? <Skeleton className="h-5 w-full max-w-xl" /> : null}
  </div>
);

/** A page header and a list (of rows or cards): most index pages. */
export const ListPageSkeleton = ({ rows = 5 }: { rows?: number }) => (
  <Busy>
    <HeaderSkeleton />
    <div className="flex flex-col gap-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-14 w-full" />
      ))}
    </div>
  </Busy>
);

/** A page header and a form: labels, fields and a button. */
export const FormPageSkeleton = ({ fields = 3 }: { fields?: number }) => (
  <Busy>
    <HeaderSkeleton />
    <div className="flex max-w-2xl flex-col gap-5">
      {Array.from({ length: fields }, (_, i) => (
        <div key={i} className="flex flex-col gap-2">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-10 w-full" />
        </div>
      ))}
      <Skeleton className="h-10 w-28" />
    </div>
  </Busy>
);

/** One record: a header, a row of figures and a body. */
export const DetailPageSkeleton = () => (
  <Busy>
    <HeaderSkeleton lead={false} />
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} className="h-20 w-full" />
      ))}
    </div>
    <Skeleton className="h-48 w-full" />
  </Busy>
);
