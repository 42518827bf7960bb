"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "~/components/ui/button";
import { SiteFooter } from "~/components/layout/site-footer";
import { Link } from "~/i18n/navigation";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("error");
  const tc = useTranslations("common");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-border bg-bg">
        <div className="mx-auto max-w-6xl px-4 py-3 sm:px-6">
          <Link href="/" className="text-lg font-bold text-fg hover:text-accent">
            {tc("productName")}
          </Link>
        </div>
      </header>
      <main id="main-content" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p role="alert" className="mt-4 text-muted-fg">
          {t("body")}
        </p>
        {error.digest ? <p className="mt-2 font-mono text-sm text-muted-fg">{t("reference", { digest: error.digest })}</p> : null}
        <div className="mt-6 flex flex-wrap gap-3">
          <Button onClick={() => reset()}>{t("retry")}</Button>
          <Link href="/" className="inline-flex h-10 items-center px-4 text-sm font-medium text-accent underline">
            {tc("backHome")}
          </Link>
        </div>
      </main>
      <SiteFooter />
    </div>
  );
}
