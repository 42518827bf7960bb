import type { Messages } from "next-intl";
import { hasRole, type TRole } from "~/lib/roles";
import type { TSearchTarget } from "~/lib/search";

/*
 * What the palette can jump to without searching: the pages of the current
 * workspace the caller's role may open (the pages check again), the other
 * workspaces, the account page and, for platform admins, the admin pages.
 * Labels are message keys under "palette.nav".
 */

/** A key under palette.nav (typed messages: a label without a message fails tsc). */
type NavLabelKey = keyof Messages["palette"]["nav"];
export type NavItem = { key: string; labelKey: NavLabelKey; values?: Record<string, string>; href: string; group: "actions" | "workspace" | "admin" | "general" };

export const workspaceNav = (slug: string, role: TRole): NavItem[] => {
  const base = `/t/${slug}`;
  const member = hasRole(role, "MEMBER");
  const admin = hasRole(role, "ADMIN");
  const item = (key: NavLabelKey, href: string, group: NavItem["group"] = "workspace"): NavItem => ({ key: `nav:${key}`, labelKey: key, href, group });
  return [
    ...(member ? [item("newChatCfo", `${base}/chat?persona=cfo`, "actions"), item("newMeeting", `${base}/meetings/new`, "actions"), item("newTask", `${base}/tasks/new`, "actions")] : []),
    item("overview", base),
    ...(member ? [item("chat", `${base}/chat`)] : []),
    item("knowledge", `${base}/knowledge`),
    item("meetings", `${base}/meetings`),
    item("tasks", `${base}/tasks`),
    item("members", `${base}/members`),
    item("settings", `${base}/settings`),
    item("providers", `${base}/settings/providers`),
    item("personas", `${base}/settings/personas`),
    ...(admin ? [item("security", `${base}/settings/security`), item("usage", `${base}/usage`), item("audit", `${base}/audit`), item("accessReviews", `${base}/settings/access-reviews`)] : []),
  ];
};

const ADMIN_PAGES = ["", "users", "jobs", "support", "usage", "audit", "keys", "ops"] as const;

export const generalNav = (opts: { currentSlug: string | null; tenants: readonly { slug: string; name: string }[]; isPlatformAdmin: boolean }): NavItem[] => [
  ...opts.tenants
    .filter((t) => t.slug !== opts.currentSlug)
    .map((t): NavItem => ({ key: `ws:${t.slug}`, labelKey: "goToWorkspace", values: { name: t.name }, href: `/t/${t.slug}`, group: "general" })),
  { key: "nav:workspaces", labelKey: "workspaces", href: "/workspaces", group: "general" },
  { key: "nav:account", labelKey: "account", href: "/account", group: "general" },
  ...(opts.isPlatformAdmin
    ? ADMIN_PAGES.map((p): NavItem => ({ key: `admin:${p || "home"}`, labelKey: `admin_${p || "home"}`, href: p ? `/admin/${p}` : "/admin", group: "admin" }))
    : []),
];

/** The workspace path a search hit opens. */
export const targetHref = (slug: string, target: { type: TSearchTarget; id: string }): string => {
  const base = `/t/${slug}`;
  const id = encodeURIComponent(target.id);
  switch (target.type) {
    case "conversation":
      return `${base}/chat/${id}`;
    case "meeting":
      return `${base}/meetings/${id}`;
    case "task":
      return `${base}/tasks/${id}`;
    case "document":
      return `${base}/knowledge`;
    case "persona":
      return `${base}/chat?persona=${id}`;
    case "members":
      return `${base}/members`;
  }
};
