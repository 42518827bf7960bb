import { expect, test } from "@playwright/test";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

test.use(perFileClientIp());

const publicPages = ["/en", "/es", "/en/sign-in", "/es/sign-in", "/en/sign-up", "/en/sign-in/check-email", "/en/dev/mailbox", "/en/legal/terms", "/en/legal/privacy"];
const memberPages = ["/en/workspaces", `/en/t/${DEMO_TENANT.slug}`, `/en/t/${DEMO_TENANT.slug}/members`, `/en/t/${DEMO_TENANT.slug}/settings`, `/en/t/${DEMO_TENANT.slug}/settings/providers`, `/en/t/${DEMO_TENANT.slug}/settings/personas`, `/en/t/${DEMO_TENANT.slug}/knowledge`, `/es/t/${DEMO_TENANT.slug}/knowledge`, `/en/t/${DEMO_TENANT.slug}/chat`, `/es/t/${DEMO_TENANT.slug}/chat`, `/en/t/${DEMO_TENANT.slug}/meetings`, `/en/t/${DEMO_TENANT.slug}/meetings/new`, `/es/t/${DEMO_TENANT.slug}/meetings/new`, `/en/t/${DEMO_TENANT.slug}/tasks`, `/en/t/${DEMO_TENANT.slug}/tasks/new`, `/es/t/${DEMO_TENANT.slug}/tasks`, "/en/account", `/es/t/${DEMO_TENANT.slug}/members`, `/en/t/${DEMO_TENANT.slug}/audit`, `/es/t/${DEMO_TENANT.slug}/audit`, `/en/t/${DEMO_TENANT.slug}/usage`, `/es/t/${DEMO_TENANT.slug}/usage`];

for (const path of publicPages) {
  test(`public page ${path} has no serious accessibility violations`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Something went wrong" }), "the page rendered, not the error boundary").toHaveCount(0);
    await expectAccessible(page);
  });
}

for (const path of memberPages) {
  test(`member page ${path} has no serious accessibility violations`, async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Something went wrong" }), "the page rendered, not the error boundary").toHaveCount(0);
    await expectAccessible(page);
  });
}

// The admin panel, as the demo platform admin (workspace and user detail pages: e2e/tests/admin.spec.ts).
const adminPages = ["/en/admin", "/en/admin/users", "/en/admin/usage", "/es/admin/usage", "/en/admin/audit", "/es/admin/audit", "/en/admin/ops", "/es/admin/ops"];

for (const path of adminPages) {
  test(`admin page ${path} has no serious accessibility violations`, async ({ page }) => {
    await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Something went wrong" }), "the page rendered, not the error boundary").toHaveCount(0);
    await expectAccessible(page);
  });
}

test("keyboard: the skip link moves focus to the main content", async ({ page }) => {
  await page.goto("/en/sign-in");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: /skip to content/i });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main/);
});

test("an unknown workspace shows the not-found page", async ({ page }) => {
  await signInWithApi(page.request, demo("OWNER"));
  const res = await page.goto("/en/t/no-such-workspace");
  expect(res?.status()).toBe(404);
  await expectAccessible(page);
});
