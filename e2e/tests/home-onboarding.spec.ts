import { expect, test, type Page } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { expectAccessible, perFileClientIp } from "../support/fixtures";

test.use(perFileClientIp());

// The workspace's home: a new workspace shows the onboarding checklist at 0 of 8
// with a link to where each step is done and every Overview section empty with
// its next action; doing the work (a chat answered, the personas confirmed)
// ticks the steps off and fills the sections; an admin hides the checklist for
// everyone and brings it back. axe on the Overview, in both states.

const CFO = "Chief Financial Officer";
const ANSWER_TIMEOUT = 30_000;
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const checklist = (page: Page) => page.getByTestId("onboarding-checklist");
const step = (page: Page, key: string) => page.getByTestId(`onboarding-step-${key}`);
const progress = (page: Page) => page.getByRole("progressbar", { name: "Onboarding progress" });

test("a new workspace's home: checklist at 0 of 8 with links, empty sections with next actions; doing the work ticks steps off; admin hides and restores it", { tag: "@critical" }, async ({ page }) => {
  await signUpAndSignIn(page.request, "home", "Hana Home");
  const ws = await createWorkspace(page.request, `Home ${unique()}`);
  const base = `/en/t/${ws.slug}`;

  await page.goto(base);
  await expect(page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();
  await expect(checklist(page).getByRole("heading", { name: "Get your workspace going" })).toBeVisible();
  await expect(page.getByTestId("onboarding-count")).toHaveText("0 of 8");
  await expect(progress(page)).toHaveAttribute("aria-valuenow", "0");
  await expect(progress(page)).toHaveAttribute("aria-valuemax", "8");
  const links: [string, string, string][] = [
    ["profile", "Fill in the company profile", "/settings"],
    ["personas", "Review the personas", "/settings/personas"],
    ["provider", "Add a provider key", "/settings/providers"],
    ["document", "Upload a first document", "/knowledge"],
    ["chat", "Get a first answer in chat", "/chat"],
    ["meeting", "Complete a first board meeting", "/meetings/new"],
    ["actionTask", "Turn an action item into a task", "/meetings"],
    ["invite", "Invite a teammate", "/members"],
  ];
  for (const [key, name, path] of links) {
    await expect(step(page, key)).toHaveAttribute("data-done", "false");
    await expect(step(page, key).getByRole("link", { name: new RegExp(name) })).toHaveAttribute("href", `${base}${path}`);
  }

  // Every section empty, saying what to do next.
  await expect(page.getByTestId("overview-tasks")).toContainText("Nothing is waiting for review.");
  await expect(page.getByTestId("overview-tasks").getByRole("link", { name: "Hand a persona a task" })).toHaveAttribute("href", `${base}/tasks/new`);
  await expect(page.getByTestId("overview-meetings").getByRole("link", { name: "Start a board meeting" })).toHaveAttribute("href", `${base}/meetings/new`);
  await expect(page.getByTestId("overview-actions")).toContainText("No open action items");
  await expect(page.getByTestId("overview-chats").getByRole("link", { name: "Ask a persona" })).toHaveAttribute("href", `${base}/chat`);
  await expect(page.getByTestId("overview-usage")).toContainText("0 tokens used this month; this workspace has no monthly limit.");
  await expectAccessible(page);

  // The step's link leads where the work is done: a first answer in chat.
  await step(page, "chat").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`${base}/chat$`));
  await page.getByRole("radio", { name: new RegExp(CFO) }).check();
  const composer = page.getByLabel(`Message to the ${CFO}`);
  await composer.fill("What should our runway be?");
  await composer.press("Enter");
  await expect(page.getByTestId("assistant-message").last()).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });

  await page.goto(base);
  await expect(step(page, "chat")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("onboarding-count")).toHaveText("1 of 8");
  await expect(progress(page)).toHaveAttribute("aria-valuenow", "1");
  await expect(page.getByTestId("overview-chats").getByRole("link", { name: /runway/i })).toBeVisible();

  // The personas step: an admin confirms them as they are on the personas page (not on the list).
  await page.goto(`${base}/settings/personas`);
  await page.getByRole("button", { name: "Confirm the personas are ready" }).click();
  await expect(page.getByTestId("onboarding-confirmed-personas")).toBeVisible();
  await page.goto(base);
  await expect(step(page, "personas")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("onboarding-count")).toHaveText("2 of 8");

  // Hidden for everyone by an admin, and restorable.
  await checklist(page).getByRole("button", { name: "Hide the checklist" }).click();
  await expect(checklist(page)).toHaveCount(0);
  await expect(page.getByTestId("onboarding-hidden")).toBeVisible();
  await page.reload();
  await expect(checklist(page)).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Show the checklist again" }).click();
  await expect(checklist(page)).toBeVisible();
  await expect(page.getByTestId("onboarding-count")).toHaveText("2 of 8");
});
