"use client";

import { useTranslations } from "next-intl";
import { startTransition, useEffect, useRef } from "react";
import { Button } from "~/components/ui/button";
import { Link, useRouter } from "~/i18n/navigation";

export type RouteErrorProps = { error: Error & { digest?: string }; reset: () => void };

/**
 * The body of a section's error.tsx. It renders inside the section's layout,
 * so the shell (header, workspace tabs, admin nav) stays and the user can go
 * elsewhere. Focus moves to the heading so keyboard and screen-reader users
 * land on the message; the digest is the reference support can find in the
 * server log (the message itself never reaches the browser in production).
 */
export const RouteError = ({ error, reset, back }: RouteErrorProps & { back: { href: string; label: string } }) => {
  const t = useTranslations("error");
  const router = useRouter();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    console.error(error);
    heading.current?.focus();
  }, [error]);
  // A server component's error needs the server to render again: refresh the
  // route's payload and re-render the boundary's children in one transition.
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="flex max-w-2xl flex-col gap-4" data-testid="route-error">
      <h1 ref={heading} tabIndex={-1} className="text-3xl font-bold tracking-tight focus:outline-none">
        {t("title")}
      </h1>
      <p role="alert" className="text-muted-fg">
        {t("sectionBody")}
      </p>
      {error.digest ? <p className="font-mono text-sm break-all text-muted-fg">{t("reference", { digest: error.digest })}</p> : null}
      <div className="flex flex-wrap gap-3">
        <Button onClick={retry}>{t("retry")}</Button>
        <Link href={back.href} className="inline-flex h-10 items-center px-4 text-sm font-medium text-accent underline">
          {back.label}
        </Link>
      </div>
    </div>
  );
};
