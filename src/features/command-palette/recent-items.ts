// The palette's "recent" list: what the user opened from it last, per workspace,
// kept in this browser only (localStorage) — nothing about it reaches the server.

export type RecentItem = { key: string; label: string; href: string; kind: string };

const MAX_RECENT = 6;
const storageKey = (scope: string) => `ocsuite:palette-recent:${scope}`;

const isRecentItem = (x: unknown): x is RecentItem =>
  typeof x === "object" && x !== null && ["key", "label", "href", "kind"].every((k) => typeof (x as Record<string, unknown>)[k] === "string");

export const readRecent = (scope: string): RecentItem[] => {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(storageKey(scope)) ?? "[]");
    // Only same-site paths: the list is read back into links.
    return Array.isArray(parsed) ? parsed.filter(isRecentItem).filter((x) => x.href.startsWith("/") && !x.href.startsWith("//")).slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
};

export const rememberRecent = (scope: string, item: RecentItem) => {
  try {
    const next = [item, ...readRecent(scope).filter((x) => x.key !== item.key)].slice(0, MAX_RECENT);
    window.localStorage.setItem(storageKey(scope), JSON.stringify(next));
  } catch {
    // Storage full or disabled (private mode): the palette works without a recent list.
  }
};
