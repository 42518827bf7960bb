import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { demo, expectAccessible, perFileClientIp, signInWithApi, trpc } from "../support/fixtures";

test.use(perFileClientIp());

// The demo platform admin runs the service from /admin: a workspace is
// suspended (its owner is locked out with a clear page) and reactivated (the
// owner gets back in), the owner's sessions are ended, and the usage and audit
// pages answer for it.
test("a platform admin suspends a workspace, its owner sees the suspended page, reactivation lets them back in; ending their sessions signs them out", { tag: "@critical" }, async ({ page, browser }) => {
  test.setTimeout(90_000);
  // A fresh owner with a fresh workspace, in their own browser session.
  const ownerContext = await browser.newContext(perFileClientIp());
  const ownerPage = await ownerContext.newPage();
  await signUpAndSignIn(ownerPage.request, "suspend-owner", "Sam Suspended");
  const ws = await createWorkspace(ownerPage.request, `Suspend Co ${Date.now().toString(36)}`);
  await ownerPage.goto(`/en/t/${ws.slug}`);
  await expect(ownerPage.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();

  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto(`/en/admin?q=${ws.slug}`);
  await expect(page.getByRole("navigation", { name: "Admin sections" })).toBeVisible();
  await page.getByRole("link", { name: ws.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();
  await expect(page.getByRole("cell", { name: /suspend-owner-/ })).toBeVisible();
  await expectAccessible(page);

  const reason = `E2E: chargeback ${Date.now().toString(36)}`;
  await page.getByRole("button", { name: "Suspend workspace" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Suspend", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(/This workspace is suspended\. Its members see/)).toBeVisible();
  await expect(page.getByText(`Reason: ${reason}`)).toBeVisible();
  await expectAccessible(page);

  // The owner is locked out with a clear page, on every workspace page.
  await ownerPage.reload();
  await expect(ownerPage.getByRole("heading", { level: 1, name: "This workspace is suspended" })).toBeVisible();
  await ownerPage.goto(`/en/t/${ws.slug}/members`);
  await expect(ownerPage.getByRole("heading", { level: 1, name: "This workspace is suspended" })).toBeVisible();
  await expectAccessible(ownerPage);
  expect((await trpc.query(ownerPage.request, "member.list", { tenantSlug: ws.slug })).status()).toBe(403);

  await page.getByRole("button", { name: "Reactivate workspace" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reactivate", exact: true }).click();
  await expect(page.getByRole("button", { name: "Suspend workspace" })).toBeVisible();

  await ownerPage.goto(`/en/t/${ws.slug}`);
  await expect(ownerPage.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();

  // The admin's audit log shows both actions on the workspace's chain, with the reason.
  await page.goto(`/en/admin/audit?tenant=${ws.slug}&action=tenant.`);
  await expect(page.getByRole("cell", { name: "tenant.suspended" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "tenant.reactivated" })).toBeVisible();
  await expectAccessible(page);
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  const body = await csv.text();
  expect(body).toContain("tenant.suspended");
  expect(body).toContain(reason);

  // The owner's account page for the admin: memberships and sessions; "sign out everywhere" ends the owner's session.
  await page.goto(`/en/admin?q=${ws.slug}`);
  await page.getByRole("link", { name: ws.name }).click();
  await page.getByRole("link", { name: /suspend-owner-/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /suspend-owner-/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: ws.name })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "End sessions" }).click();
  await expect(page.getByText("1 session ended.")).toBeVisible();
  await ownerPage.reload();
  await expect(ownerPage).toHaveURL(/\/en\/sign-in/);
  await ownerContext.close();
});

test("the usage page draws the chart with a table alternative, and the audit log pages and filters", async ({ page }) => {
  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto("/en/admin/usage");
  await expect(page.getByRole("heading", { level: 1, name: "LLM usage" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Tokens per day/ })).toBeVisible();
  await expectAccessible(page);
  const toggle = page.getByRole("button", { name: "Show as table" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(page.getByRole("button", { name: "Hide table" })).toHaveAttribute("aria-expanded", "true");
  // One row per day of the default 30-day range, plus the header row.
  await expect(page.getByRole("table", { name: "Tokens per day" }).getByRole("row")).toHaveCount(31);
  await expectAccessible(page);

  await page.getByLabel("From", { exact: true }).fill("2026-01-01");
  await page.getByLabel("To", { exact: true }).fill("2026-01-07");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=2026-01-01/);
  await page.getByRole("button", { name: "Show as table" }).click();
  await expect(page.getByRole("table", { name: "Tokens per day" }).getByRole("row")).toHaveCount(8);

  // Viewing the usage page was itself audited: the audit log finds it by action prefix and actor.
  await page.goto("/en/admin/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await page.getByLabel("Actor email").fill(demo("PLATFORM_ADMIN"));
  await page.getByLabel("Action starts with").fill("admin.usage");
  await page.getByRole("button", { name: "Filter", exact: true }).click();
  await expect(page).toHaveURL(/action=admin\.usage/);
  await expect(page.getByRole("cell", { name: "admin.usage" }).first()).toBeVisible();
  await expectAccessible(page);
});

test("non-admins get the not-allowed page and no admin navigation", async ({ page }) => {
  await signInWithApi(page.request, demo("OWNER"));
  for (const path of ["/en/admin/usage", "/en/admin/audit", "/en/admin/users"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin sections" })).toHaveCount(0);
  }
  expect((await page.request.get("/api/admin/audit/export?format=csv")).status()).toBe(403);
});
