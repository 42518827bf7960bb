import { expect, test, type Page } from "@playwright/test";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

// Issue 15, dark mode: System (the default) follows the device, Light and Dark
// pin it. The choice is the `ocsuite-theme` cookie (src/lib/theme.ts), rendered
// by the server as <html data-theme="light|dark">, so a reload paints the right
// theme first; a change applies at once without a reload.

test.use(perFileClientIp());

const THEME_COOKIE = "ocsuite-theme";
// --color-bg of src/app/globals.css as the browser computes it (tests/design-tokens.test.ts checks the palette itself).
const LIGHT_BG = "rgb(255, 255, 255)";
const DARK_BG = "rgb(17, 24, 39)";

const html = (page: Page) => page.locator("html");
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const colorScheme = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
const themeGroup = (page: Page) => page.getByRole("group", { name: "Theme" });

test("choosing Dark on the account page with the keyboard applies it at once and survives a reload", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/en/account");
  await expect(themeGroup(page).getByRole("radio", { name: "System" })).toBeChecked();
  await expect(html(page)).not.toHaveAttribute("data-theme");

  // From the control before it (the language), Tab lands on the checked radio; the arrow keys choose.
  await page.getByLabel("Preferred locale").focus();
  await page.keyboard.press("Tab");
  await expect(themeGroup(page).getByRole("radio", { name: "System" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(themeGroup(page).getByRole("radio", { name: "Dark" })).toBeChecked();
  await expect(html(page)).toHaveAttribute("data-theme", "dark");
  await expect.poll(() => bodyBackground(page)).toBe(DARK_BG);
  expect(await colorScheme(page)).toBe("dark");
  await expectAccessible(page);

  const cookie = (await page.context().cookies()).find((c) => c.name === THEME_COOKIE);
  expect(cookie?.value).toBe("dark");
  // The server renders the choice into the document itself: no flash, no script.
  const served = await (await page.request.get("/en/account")).text();
  expect(served).toMatch(/<html[^>]*\sdata-theme="dark"/);

  await page.reload();
  await expect(html(page)).toHaveAttribute("data-theme", "dark");
  await expect(themeGroup(page).getByRole("radio", { name: "Dark" })).toBeChecked();
  expect(await bodyBackground(page)).toBe(DARK_BG);
});

test("the user menu offers the same choice; Light wins over a dark device, System gives it back", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/en/workspaces");
  await expect(html(page)).not.toHaveAttribute("data-theme");
  expect(await bodyBackground(page)).toBe(DARK_BG);

  const openMenu = async () => {
    await page.getByRole("button", { name: /^Account menu for / }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menu")).toBeVisible();
  };
  const choose = async (name: string) => {
    const item = page.getByRole("menuitemradio", { name });
    for (let i = 0; i < 8 && !(await item.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("ArrowDown");
    await expect(item).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menu")).toBeHidden();
  };

  await openMenu();
  await expect(page.getByRole("group", { name: "Theme" }).getByRole("menuitemradio", { name: "System" })).toHaveAttribute("aria-checked", "true");
  await choose("Light");
  await expect(html(page)).toHaveAttribute("data-theme", "light");
  await expect.poll(() => bodyBackground(page)).toBe(LIGHT_BG);
  expect(await colorScheme(page)).toBe("light");

  await page.reload();
  await expect(html(page)).toHaveAttribute("data-theme", "light");
  expect(await bodyBackground(page)).toBe(LIGHT_BG);

  await openMenu();
  await expect(page.getByRole("menuitemradio", { name: "Light" })).toHaveAttribute("aria-checked", "true");
  await choose("System");
  await expect(html(page)).not.toHaveAttribute("data-theme");
  await expect.poll(() => bodyBackground(page)).toBe(DARK_BG);
  expect((await page.context().cookies()).some((c) => c.name === THEME_COOKIE)).toBe(false);
});

test("System follows the device's dark preference on every page, and axe is clean there", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/en/sign-in");
  await expect(html(page)).not.toHaveAttribute("data-theme");
  expect(await bodyBackground(page)).toBe(DARK_BG);
  expect(await colorScheme(page)).toBe("dark");
  await expectAccessible(page);

  await signInWithApi(page.request, demo("OWNER"));
  for (const path of ["/en/workspaces", "/en/account", `/en/t/${DEMO_TENANT.slug}`, `/en/t/${DEMO_TENANT.slug}/members`, `/en/t/${DEMO_TENANT.slug}/usage`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await bodyBackground(page), path).toBe(DARK_BG);
    await expectAccessible(page);
  }
});

test("an unknown cookie value counts as System", async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: THEME_COOKIE, value: "purple", url: baseURL! }]);
  await signInWithApi(page.request, demo("MEMBER"));
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/en/account");
  await expect(html(page)).not.toHaveAttribute("data-theme");
  await expect(themeGroup(page).getByRole("radio", { name: "System" })).toBeChecked();
  expect(await bodyBackground(page)).toBe(LIGHT_BG);
});
