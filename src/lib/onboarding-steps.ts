/*
 * The onboarding checklist's steps, in order: who sees each (owners and admins
 * the workspace set-up, everyone from members up the work itself) and the page
 * where it is done. Shared by the service that derives each step from the
 * workspace's data and the Overview that links to where it is done.
 */

export const ONBOARDING_STEPS = [
  { key: "profile", audience: "admin", path: "/settings" },
  { key: "personas", audience: "admin", path: "/settings/personas" },
  { key: "provider", audience: "admin", path: "/settings/providers" },
  { key: "document", audience: "member", path: "/knowledge" },
  { key: "chat", audience: "member", path: "/chat" },
  { key: "meeting", audience: "member", path: "/meetings/new" },
  { key: "actionTask", audience: "member", path: "/meetings" },
  { key: "invite", audience: "admin", path: "/members" },
] as const;

export type TOnboardingStepKey = (typeof ONBOARDING_STEPS)[number]["key"];
export const ONBOARDING_STEP_KEYS = ONBOARDING_STEPS.map((s) => s.key) as [TOnboardingStepKey, ...TOnboardingStepKey[]];

/** The link of a step inside the workspace `tenantSlug`. */
export const onboardingStepHref = (tenantSlug: string, key: TOnboardingStepKey): string => `/t/${tenantSlug}${ONBOARDING_STEPS.find((s) => s.key === key)!.path}`;
