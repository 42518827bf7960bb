import { expect, test, type Page } from "@playwright/test";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

// The command palette (issue 15), driven by the keyboard only: Ctrl+K, typing, arrows, Enter, Escape.
test.use(perFileClientIp());

const base = `/en/t/${DEMO_TENANT.slug}`;
const palette = (page: Page) => page.getByRole("dialog", { name: "Command palette" });
const input = (page: Page) => palette(page).getByRole("combobox");
const selected = (page: Page) => palette(page).locator('[role="option"][aria-selected="true"]');

test.beforeEach(async ({ page }) => {
  await signInWithApi(page.request, demo("OWNER"));
});

test("Ctrl+K opens an accessible palette from any page, Escape closes it and returns focus", { tag: "@critical" }, async ({ page }) => {
  await page.goto(`${base}/tasks`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: /skip to content/i });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Control+k");
  await expect(palette(page)).toBeVisible();
  await expect(input(page)).toBeFocused();
  // Empty input: the workspace's pages and actions, the count announced politely.
  await expect(palette(page).getByRole("option", { name: "New chat with the CFO" })).toBeVisible();
  await expect(palette(page).getByRole("status")).toHaveText(/\d+ results/);
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(palette(page)).toBeHidden();
  await expect(skip).toBeFocused();
});

test("typing searches the workspace: grouped, highlighted, Enter opens the object", { tag: "@critical" }, async ({ page }) => {
  await page.goto(base);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.keyboard.press("Control+k");
  await page.keyboard.type("chief fin");
  const personas = palette(page).getByRole("group", { name: "Personas" });
  await expect(personas.getByRole("option", { name: /Chief Financial Officer/ })).toBeVisible();
  await expect(personas.locator("mark").first()).toHaveText(/chief/i);
  await expect(selected(page)).toHaveText(/Chief Financial Officer/);
  await expectAccessible(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/chat\?persona=cfo$/);
  await expect(palette(page)).toBeHidden();
});

test("arrow keys move through the results, and what was opened comes back as recent", async ({ page }) => {
  await page.goto(base);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.keyboard.press("Control+k");
  await page.keyboard.type("new");
  await expect(selected(page)).toHaveText("New chat with the CFO");
  await page.keyboard.press("ArrowDown");
  await expect(selected(page)).toHaveText("New meeting");
  await page.keyboard.press("ArrowDown");
  await expect(selected(page)).toHaveText("New task");
  await page.keyboard.press("ArrowUp");
  await expect(selected(page)).toHaveText("New meeting");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/meetings\/new$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  await page.keyboard.press("Control+k");
  const recent = palette(page).getByRole("group", { name: "Recent" });
  await expect(recent.getByRole("option", { name: "New meeting" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(palette(page)).toBeHidden();
});

test("the header button opens it too, localised", async ({ page }) => {
  await page.goto(`/es/t/${DEMO_TENANT.slug}`);
  const button = page.getByRole("button", { name: /Buscar o ir a/ });
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: "Paleta de comandos" })).toBeVisible();
  await page.keyboard.type("miem");
  await expect(page.getByRole("dialog").getByRole("option", { name: "Miembros" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(button).toBeFocused();
});
