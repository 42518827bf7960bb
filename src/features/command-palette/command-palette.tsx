"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Clock, CornerDownLeft, Download, FileText, Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button, buttonVariants } from "~/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "~/components/ui/command";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "~/components/ui/dialog";
import { usePathname, useRouter } from "~/i18n/navigation";
import { documentOriginalUrl } from "~/lib/document-urls";
import type { TRole } from "~/lib/roles";
import { SEARCH_KINDS, searchWords } from "~/lib/search";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { Highlight } from "./highlight";
import { generalNav, targetHref, workspaceNav, type NavItem } from "./palette-items";
import { readRecent, rememberRecent, type RecentItem } from "./recent-items";

/*
 * Ctrl+K / ⌘K: a command palette on every signed-in page (mounted by the app
 * layout in the shell's header, beside a visible button that opens it too).
 * Jumps to the pages the caller may open and searches the current workspace
 * (search.query, debounced); with an empty input it shows what was opened from
 * it last in this workspace. cmdk gives the combobox/listbox roles and the
 * arrow keys; Radix's dialog traps focus and returns it where it was on Esc.
 */

type Hit = RouterOutputs["search"]["query"]["hits"][number];
type Tenant = { slug: string; name: string; role: TRole };

const DEBOUNCE_MS = 150;
const GLOBAL = "_";

const useDebounced = (value: string, ms: number) => {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return debounced;
};

const matchesLabel = (label: string, words: readonly string[]) => {
  const tokens = label.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.every((w) => tokens.some((t) => t.startsWith(w)));
};

export const CommandPalette = ({ tenants, isPlatformAdmin }: { tenants: Tenant[]; isPlatformAdmin: boolean }) => {
  const t = useTranslations("palette");
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const currentSlug = /^\/t\/([^/]+)/.exec(pathname)?.[1] ?? null;
  const tenant = tenants.find((x) => x.slug === currentSlug) ?? null;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [passage, setPassage] = useState<Hit | null>(null);
  const debounced = useDebounced(query.trim(), DEBOUNCE_MS);
  const words = searchWords(query);
  const scope = tenant?.slug ?? GLOBAL;

  // Where focus was when the palette opened: given back when it closes. Radix returns focus to a
  // DialogTrigger, and the shortcut opens the palette without one.
  const returnFocus = useRef<HTMLElement | null>(null);
  const rememberFocus = () => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  };

  // Ctrl+K / ⌘K from anywhere on the page, text fields included (the shortcut has no text meaning there).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen((o) => {
          if (!o) rememberFocus();
          return !o;
        });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const onOpenChange = (next: boolean) => {
    if (next && !open) rememberFocus();
    setOpen(next);
    if (!next) {
      setQuery("");
      setPassage(null);
    }
  };
  // Read when the palette opens (never during the server render: it is closed there).
  const recent: RecentItem[] = open ? readRecent(scope) : [];

  const searching = open && tenant !== null && debounced.length > 0 && searchWords(debounced).length > 0;
  const search = useQuery({ ...trpc.search.query.queryOptions({ tenantSlug: tenant?.slug ?? "", query: debounced }), enabled: searching, staleTime: 10_000 });
  const hits = searching ? (search.data?.hits ?? []) : [];
  const pending = searching && (search.isFetching || debounced !== query.trim());

  const nav = [...(tenant ? workspaceNav(tenant.slug, tenant.role) : []), ...generalNav({ currentSlug, tenants, isPlatformAdmin })]
    .map((item) => ({ ...item, label: t(`nav.${item.labelKey}`, item.values ?? {}) }))
    .filter((item) => words.length === 0 || matchesLabel(item.label, words));

  const go = (item: RecentItem) => {
    rememberRecent(scope, item);
    onOpenChange(false);
    router.push(item.href);
  };

  const openHit = (hit: Hit) => {
    if (!tenant) return;
    if (hit.kind === "passage") {
      rememberRecent(scope, { key: `${hit.kind}:${hit.id}`, label: hit.title, href: targetHref(tenant.slug, hit.target), kind: "document" });
      setPassage(hit);
      return;
    }
    go({ key: `${hit.kind}:${hit.id}`, label: hit.title, href: targetHref(tenant.slug, hit.target), kind: hit.kind });
  };

  const groups = SEARCH_KINDS.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length > 0);
  const navGroups = (["actions", "workspace", "general", "admin"] as const).map((group) => ({ group, items: nav.filter((i) => i.group === group) })).filter((g) => g.items.length > 0);
  const count = hits.length + nav.length + (query.trim() ? 0 : recent.length);
  const status = pending ? t("searching") : search.isError && searching ? t("error") : t("resultCount", { count });

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => onOpenChange(true)} aria-keyshortcuts="Control+K Meta+K" data-testid="palette-button">
        <Search aria-hidden="true" />
        <span>{t("open")}</span>
        <kbd className="hidden rounded border border-border px-1 text-xs text-muted-fg sm:inline">{t("shortcut")}</kbd>
      </Button>
      <Dialog open={open} onOpenChange={onOpenChange}>
        <DialogContent
          className="top-[15vh] max-w-xl translate-y-0 p-0"
          data-testid="command-palette"
          onCloseAutoFocus={(e) => {
            const target = returnFocus.current;
            returnFocus.current = null;
            // After a navigation (Enter on a result) the element may be gone: then the default.
            if (target?.isConnected) {
              e.preventDefault();
              target.focus();
            }
          }}
          onEscapeKeyDown={(e) => {
            if (passage) {
              e.preventDefault();
              setPassage(null);
            }
          }}
        >
          <DialogTitle className="sr-only">{t("title")}</DialogTitle>
          <DialogDescription className="sr-only">{tenant ? t("description") : t("descriptionNoWorkspace")}</DialogDescription>
          <p aria-live="polite" role="status" className="sr-only" data-testid="palette-status">
            {passage ? "" : status}
          </p>
          {passage && tenant ? (
            <PassageView hit={passage} words={words} tenantSlug={tenant.slug} onBack={() => setPassage(null)} />
          ) : (
            <Command shouldFilter={false} loop label={t("title")}>
              <CommandInput value={query} onValueChange={setQuery} placeholder={tenant ? t("placeholder") : t("placeholderNoWorkspace")} aria-label={t("inputLabel")} />
              <CommandList label={t("resultsLabel")}>
                {!pending ? <CommandEmpty>{t("noResults", { query: query.trim() })}</CommandEmpty> : null}
                {!query.trim() && recent.length > 0 ? (
                  <CommandGroup heading={t("groups.recent")}>
                    {recent.map((item) => (
                      <CommandItem key={item.key} value={`recent:${item.key}`} aria-label={item.label} onSelect={() => go(item)}>
                        <Clock aria-hidden="true" className="text-muted-fg" />
                        <span className="truncate">{item.label}</span>
                      </CommandItem>
                    ))}
                  </CommandGroup>
                ) : null}
                {groups.map((g) => (
                  <CommandGroup key={g.kind} heading={t(`groups.${g.kind}`)}>
                    {g.hits.map((hit) => (
                      <CommandItem key={`${hit.kind}:${hit.id}`} value={`${hit.kind}:${hit.id}`} aria-label={hit.excerpt ? `${hit.title} — ${hit.excerpt}` : hit.title} onSelect={() => openHit(hit)}>
                        <HitLabel hit={hit} words={words} />
                      </CommandItem>
                    ))}
                  </CommandGroup>
                ))}
                {navGroups.map((g) => (
                  <CommandGroup key={g.group} heading={t(`groups.${g.group}`)}>
                    {g.items.map((item: NavItem & { label: string }) => (
                      <CommandItem key={item.key} value={item.key} aria-label={item.label} onSelect={() => go({ key: item.key, label: item.label, href: item.href, kind: "page" })}>
                        <CornerDownLeft aria-hidden="true" className="text-muted-fg" />
                        <Highlight text={item.label} words={words} />
                      </CommandItem>
                    ))}
                  </CommandGroup>
                ))}
              </CommandList>
              {!tenant ? <p className="border-t border-border px-3 py-2 text-xs text-muted-fg">{t("searchNeedsWorkspace")}</p> : null}
            </Command>
          )}
        </DialogContent>
      </Dialog>
    </>
  );
};

const HitLabel = ({ hit, words }: { hit: Hit; words: readonly string[] }) => (
  <span className="flex min-w-0 flex-col">
    <span className="truncate font-medium">
      <Highlight text={hit.title} words={words} />
    </span>
    {hit.excerpt ? (
      <span className="truncate text-xs text-muted-fg">
        <Highlight text={hit.excerpt} words={words} />
      </span>
    ) : null}
  </span>
);

const PassageView = ({ hit, words, tenantSlug, onBack }: { hit: Hit; words: readonly string[]; tenantSlug: string; onBack: () => void }) => {
  const t = useTranslations("palette");
  return (
    <div className="flex flex-col gap-3 p-4" data-testid="palette-passage">
      <p className="flex items-center gap-2 font-semibold text-fg">
        <FileText aria-hidden="true" className="size-4" />
        {hit.title}
      </p>
      {hit.passage?.page != null || hit.passage?.heading ? (
        <p className="text-sm text-muted-fg">{[hit.passage.page != null ? t("page", { page: hit.passage.page }) : null, hit.passage.heading].filter(Boolean).join(" · ")}</p>
      ) : null}
      <blockquote tabIndex={0} aria-label={t("passageLabel")} className="max-h-[50vh] overflow-y-auto whitespace-pre-wrap break-words rounded-md border-l-4 border-accent bg-surface p-3 text-sm leading-relaxed">
        <Highlight text={hit.passage?.text ?? hit.excerpt ?? ""} words={words} />
      </blockquote>
      <div className="flex flex-wrap justify-end gap-3">
        <Button variant="secondary" size="md" onClick={onBack} autoFocus>
          <ArrowLeft aria-hidden="true" />
          {t("back")}
        </Button>
        <a href={documentOriginalUrl(tenantSlug, hit.target.id)} className={buttonVariants({ variant: "primary", size: "md" })} download>
          <Download aria-hidden="true" />
          {t("download")}
        </a>
      </div>
    </div>
  );
};
