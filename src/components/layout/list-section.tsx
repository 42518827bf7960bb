import type { ReactNode } from "react";

/**
 * A titled list on a page: the heading names the section for screen readers,
 * a failed refresh is announced (the last data stays on screen), and an empty
 * list says so instead of rendering an empty table.
 */
export const ListSection = ({
  id,
  title,
  error,
  empty,
  children,
}: {
  id: string;
  title: string;
  /** Shown as an alert when set (e.g. a failed background refresh). */
  error?: string | null;
  /** Shown instead of the children when set. */
  empty?: string | null;
  children: ReactNode;
}) => (
  <section aria-labelledby={id} className="flex flex-col gap-4">
    <h2 id={id} className="text-xl font-semibold">
      {title}
    </h2>
    {error ? (
      <p role="alert" className="text-sm text-danger">
        {error}
      </p>
    ) : null}
    {empty ? <p className="text-muted-fg">{empty}</p> : children}
  </section>
);
