"use client";

import "./globals.css";
import { LEGAL_VERSION } from "~/lib/legal";

// The last resort: an error in the root layout itself ([locale]/layout.tsx),
// where neither the shell nor the translations are available. It replaces the
// whole document, so it says the one thing it can in both of our languages
// (section errors are answered by each section's error.tsx, inside the shell).
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-bg text-fg antialiased">
        <main className="mx-auto flex max-w-2xl flex-col gap-4 px-4 py-12 sm:px-6">
          <h1 className="text-3xl font-bold tracking-tight">Something went wrong</h1>
          <p lang="es" className="text-xl text-muted-fg">
            Algo ha salido mal
          </p>
          <p role="alert" className="text-muted-fg">
            Try again; if it keeps happening, contact support. <span lang="es">Vuelve a intentarlo; si sigue ocurriendo, contacta con soporte.</span>
          </p>
          {error.digest ? <p className="font-mono text-sm break-all text-muted-fg">Reference / Referencia: {error.digest}</p> : null}
          <div className="flex flex-wrap gap-3">
            <button type="button" onClick={() => reset()} className="inline-flex h-10 items-center rounded-md bg-accent px-4 text-sm font-medium text-accent-fg hover:bg-accent-hover">
              Try again · Reintentar
            </button>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- the router may be what failed; reload the document */}
            <a href="/" className="inline-flex h-10 items-center px-4 text-sm font-medium text-accent underline">
              Home · Inicio
            </a>
          </div>
        </main>
        {/* The footer every page has (issue 16), in both languages like the rest of this page; plain
            links because the router may be what failed. */}
        <footer className="border-t border-border bg-surface">
          <nav aria-label="Legal" className="mx-auto flex max-w-2xl flex-col gap-2 px-4 py-6 text-sm text-muted-fg sm:px-6">
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- the router may be what failed; load the document */}
            <a href="/en/legal/terms" className="text-fg underline">Terms of Service</a>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- as above */}
            <a href="/en/legal/privacy" className="text-fg underline">Privacy Policy</a>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- as above */}
            <a href="/es/legal/terms" lang="es" className="text-fg underline">Condiciones del servicio</a>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- as above */}
            <a href="/es/legal/privacy" lang="es" className="text-fg underline">Política de privacidad</a>
            <p>Version / Versión {LEGAL_VERSION}</p>
          </nav>
        </footer>
      </body>
    </html>
  );
}
