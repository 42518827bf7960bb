"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { MessageSquarePlus } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { buttonVariants } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Link, usePathname } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";
import type { PersonaOption } from "~/lib/persona-option";

const SEARCH_DEBOUNCE_MS = 300;
const MAX_QUERY_CHARS = 200;

const useDebounced = <T,>(value: T, ms: number) => {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
};

/**
 * The user's conversations, newest first: "New chat", a search over titles and
 * message content (debounced), a filter by executive, and "Show more" paging.
 */
export const ConversationSidebar = ({ tenantSlug, personas }: { tenantSlug: string; personas: Pick<PersonaOption, "key" | "name">[] }) => {
  const t = useTranslations("chat");
  const format = useFormatter();
  const trpc = useTRPC();
  const pathname = usePathname();
  const base = `/t/${tenantSlug}/chat`;
  const [search, setSearch] = useState("");
  const [personaKey, setPersonaKey] = useState("");
  const query = useDebounced(search.trim().slice(0, MAX_QUERY_CHARS), SEARCH_DEBOUNCE_MS);

  const list = useInfiniteQuery(
    trpc.chat.list.infiniteQueryOptions(
      { tenantSlug, ...(personaKey ? { personaKey } : {}), ...(query ? { query } : {}) },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 5_000 },
    ),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const nameOf = (key: string) => personas.find((p) => p.key === key)?.name ?? key;

  return (
    <nav id="chat-conversations" aria-label={t("conversationsNav")} className="flex scroll-mt-4 flex-col gap-4">
      <Link href={base} className={cn(buttonVariants({ variant: "primary" }), "w-full")}>
        <MessageSquarePlus aria-hidden="true" />
        {t("newChat")}
      </Link>

      <div className="flex flex-col gap-3" role="search">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="chat-search">{t("searchLabel")}</Label>
          <Input id="chat-search" type="search" value={search} maxLength={MAX_QUERY_CHARS} onChange={(e) => setSearch(e.currentTarget.value)} aria-describedby="chat-search-hint" autoComplete="off" />
          <p id="chat-search-hint" className="text-xs text-muted-fg">
            {t("searchHint")}
          </p>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="chat-persona-filter">{t("filterPersona")}</Label>
          <Select id="chat-persona-filter" value={personaKey} onChange={(e) => setPersonaKey(e.currentTarget.value)}>
            <option value="">{t("allPersonas")}</option>
            {personas.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
          </Select>
        </div>
      </div>

      <h2 className="text-sm font-semibold uppercase tracking-wide text-muted-fg">{t("conversations")}</h2>
      <p role="status" className="sr-only">
        {list.isSuccess && (query || personaKey) ? t("resultsCount", { count: items.length }) : ""}
      </p>
      {list.isPending ? (
        <p className="text-sm text-muted-fg">{t("loading")}</p>
      ) : list.isError ? (
        <p className="text-sm text-danger">{t("loadFailed")}</p>
      ) : items.length === 0 ? (
        <p className="text-sm text-muted-fg">{query ? t("noResults", { query }) : t("noConversations")}</p>
      ) : (
        <ul className="flex flex-col gap-1" data-testid="conversation-list">
          {items.map((c) => {
            const href = `${base}/${c.id}`;
            const current = pathname === href;
            return (
              <li key={c.id}>
                <Link
                  href={href}
                  aria-current={current ? "page" : undefined}
                  className={cn(
                    "flex flex-col gap-0.5 rounded-md border px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
                    current ? "border-accent bg-accent-soft" : "border-transparent hover:bg-surface",
                  )}
                >
                  <span className="line-clamp-2 break-words font-medium text-fg">{c.title}</span>
                  <span className="text-xs text-muted-fg">
                    {nameOf(c.personaKey)} · {t("messageCount", { count: c.messageCount })} ·{" "}
                    <time dateTime={new Date(c.lastMessageAt).toISOString()}>{format.dateTime(new Date(c.lastMessageAt), "long")}</time>
                  </span>
                  {c.snippet ? <span className="line-clamp-2 break-words text-xs text-muted-fg">{c.snippet}</span> : null}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {list.hasNextPage ? (
        <button type="button" className={buttonVariants({ variant: "secondary", size: "sm" })} disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t("loading") : t("loadMore")}
        </button>
      ) : null}
    </nav>
  );
};
