import type { Page } from "@playwright/test";

/** A retention window for every data class, each label as the privacy centre shows it (all above the audit minimum). */
export const RETENTION_WINDOWS = [
  ["Conversations", "30"],
  ["Meeting records", "60"],
  ["Tasks and deliverables", "90"],
  ["Documents", "180"],
  ["AI call logs", "7"],
  ["Audit events", "400"],
] as const;

/** The privacy centre's form that holds the control with this label (each setting saves on its own). */
export const formWith = (page: Page, label: string) => page.locator("form").filter({ has: page.getByLabel(label, { exact: true }) });
