import { expect, test } from "@playwright/test";
import { signUpAndSignIn } from "../support/accounts";
import { demo, expectAccessible, perFileClientIp, signInWithApi, signInWithForm, trpc } from "../support/fixtures";

test.use(perFileClientIp());

test("switching locale translates the UI and is remembered for the user", async ({ page }) => {
  const email = await signUpAndSignIn(page.request, "polyglot", "Pat Polyglot");
  await page.goto("/en/workspaces");
  // The header's language menu (a menu, not a select: choosing reloads the page, WCAG 3.2.2).
  await page.getByRole("button", { name: "Language: English" }).first().click();
  await page.getByRole("menuitemradio", { name: "Español" }).click();
  await expect(page).toHaveURL(/\/es\/workspaces/);
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expectAccessible(page);
  const me = await (await trpc.query(page.request, "account.me")).json();
  expect(me.result.data.json.locale).toBe("es");
  // A new browser session for the same user lands in Spanish after sign-in.
  await page.context().clearCookies();
  await signInWithForm(page, email, "correct-horse-battery");
  await expect(page).toHaveURL(/\/es\//);
});

test("sign out everywhere ends every session of the user", async ({ page, browser }) => {
  const email = await signUpAndSignIn(page.request, "everywhere", "Eve Everywhere");
  const second = await browser.newContext(perFileClientIp());
  const secondPage = await second.newPage();
  expect((await signInWithApi(secondPage.request, email, "correct-horse-battery")).status()).toBe(200);
  expect((await trpc.query(secondPage.request, "account.me")).status()).toBe(200);

  await page.goto("/en/account");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/en\/sign-in/);

  expect((await trpc.query(secondPage.request, "account.me")).status()).toBe(401);
  await secondPage.goto("/en/workspaces");
  await expect(secondPage).toHaveURL(/\/en\/sign-in/);
  await second.close();
});

test("platform admin sees every tenant and user; others are refused", async ({ page }) => {
  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto("/en/admin");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("cell", { name: "acme", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: demo("VIEWER") })).toBeVisible();
  await expectAccessible(page);

  await page.context().clearCookies();
  await signInWithApi(page.request, demo("OWNER"));
  expect((await trpc.query(page.request, "admin.tenants", {})).status()).toBe(403);
  await page.goto("/en/admin");
  await expect(page.getByRole("cell", { name: "acme", exact: true })).toHaveCount(0);
});
