import { expect, test } from "@playwright/test";
import { verificationLinkFor } from "../support/accounts";
import { APP_PORT } from "../support/env.mjs";
import { DEMO_PASSWORD, demo, expectAccessible, perFileClientIp, signInWithForm, uniqueEmail } from "../support/fixtures";

test.use(perFileClientIp());

test("sign up, create a workspace, sign out, sign back in", { tag: "@critical" }, async ({ page }) => {
  const email = uniqueEmail("founder");
  await page.goto("/en/sign-up");
  await expectAccessible(page);
  await page.getByLabel("Name").fill("Fiona Founder");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct-horse-battery");
  // The Terms/Privacy box is required: the server records the version accepted (tests/legal-acceptance.test.ts).
  // The label's links say they open a new tab, and that is part of the box's accessible name.
  await page.getByRole("checkbox", { name: /^I agree to the Terms of Service\b.* and the Privacy Policy\b/ }).check();
  await page.getByRole("button", { name: "Create account" }).click();
  // Unverified until the mailed link is opened: the form says so, and the password does not work yet.
  await expect(page.getByRole("status")).toContainText(`We sent a link to ${email}`);
  await expectAccessible(page);
  await signInWithForm(page, email, "correct-horse-battery");
  await expect(page.getByRole("alert").filter({ hasText: /confirm your email address first/i })).toBeVisible();

  await page.goto(await verificationLinkFor(page.request, email));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Email address confirmed");
  await expectAccessible(page);
  await signInWithForm(page, email, "correct-horse-battery");
  await expect(page).toHaveURL(/\/en\/workspaces/);
  await expectAccessible(page);

  await page.getByLabel("Workspace name").fill("Founder Labs");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/en\/t\/founder-labs/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Founder Labs");
  await expectAccessible(page);

  await page.getByRole("button", { name: /account menu|user menu|fiona|@example\.com/i }).first().click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(new RegExp(`:${APP_PORT}/en/?$`)); // the landing page, signed out
  await page.goto("/en/workspaces");
  await expect(page).toHaveURL(/\/en\/sign-in/);

  await signInWithForm(page, email, "correct-horse-battery");
  await expect(page).toHaveURL(/\/en\/workspaces/);
  await expect(page.getByRole("link", { name: /Founder Labs/ })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await signInWithForm(page, demo("MEMBER"), "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: /invalid email or password/i })).toBeVisible();
  await expect(page).toHaveURL(/\/en\/sign-in/);
  await expectAccessible(page);
});

test("each demo user can sign in with the printed password", { tag: "@critical" }, async ({ page }) => {
  await signInWithForm(page, demo("OWNER"), DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/en\/workspaces/);
  await expect(page.getByRole("link", { name: /Acme Robotics/ })).toBeVisible();
});

test("magic link: the link arrives in the dev mailbox and signs the user in", { tag: "@critical" }, async ({ page }) => {
  const email = demo("ADMIN");
  await page.goto("/en/sign-in");
  await page.getByLabel("Address to send the link to").fill(email);
  await page.getByRole("button", { name: /email me a sign-in link/i }).click();
  await expect(page).toHaveURL(/\/en\/sign-in\/check-email/);
  await expectAccessible(page);

  await page.goto("/en/dev/mailbox");
  await expectAccessible(page);
  // Newest first: the link just requested for this address.
  const link = page.getByRole("link", { name: new RegExp(`/api/auth/callback/email\\?.*email=${encodeURIComponent(email)}`) }).first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  expect(href).toBeTruthy();
  await page.goto(href!);
  await page.goto("/en/workspaces");
  await expect(page).toHaveURL(/\/en\/workspaces/);
  await expect(page.getByRole("link", { name: /Acme Robotics/ })).toBeVisible();
});

test("SSO: signs in through a real OpenID Connect provider", { tag: "@critical" }, async ({ page }) => {
  const email = uniqueEmail("sso");
  await page.goto("/en/sign-in");
  await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
  // The provider's own login and consent pages.
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("anything");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]', { hasText: /continue/i }).click();
  // Back in the app, signed in as the provider's user (account created on first SSO sign-in).
  await expect(page).toHaveURL(new RegExp(`localhost:${APP_PORT}/en/workspaces`));
  await page.goto("/en/account");
  // exact: the account page also names the address in the delete-account confirmation's label.
  await expect(page.locator("#main-content").getByText(email, { exact: true })).toBeVisible();
});
