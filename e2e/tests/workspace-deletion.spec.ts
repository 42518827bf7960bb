import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { expectAccessible, perFileClientIp, trpc } from "../support/fixtures";

test.use(perFileClientIp());

// Deletion (issue 16): an owner schedules the workspace's deletion from the privacy centre with the
// slug typed, every page shows the banner and writes are refused, every owner is mailed, and the
// owner cancels; a sole owner is refused account deletion with the workspace named, and a user
// without workspaces deletes their account and is signed out.

test("an owner schedules the workspace's deletion with typed confirmation, sees the banner, and cancels it", { tag: "@critical" }, async ({ page }) => {
  test.setTimeout(120_000);
  await signUpAndSignIn(page.request, "delete-ws", "Dana Delete");
  const ws = await createWorkspace(page.request, `Doomed ${Date.now().toString(36)}`);

  await page.goto(`/en/t/${ws.slug}/settings/privacy`);
  await expect(page.getByRole("heading", { name: "Delete this workspace" })).toBeVisible();
  await expect(page.getByText(/read-only for 30 days/)).toBeVisible();
  const confirm = page.getByLabel(`Type ${ws.slug} to confirm`);
  // A wrong confirmation is refused with the reason.
  await confirm.fill("delete it");
  await page.getByRole("button", { name: "Delete workspace" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The confirmation text does not match" })).toBeVisible();

  await confirm.fill(ws.slug);
  await page.getByRole("button", { name: "Delete workspace" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deletion scheduled for" })).toBeVisible();
  const scheduled = page.getByTestId("workspace-deletion-scheduled");
  await expect(scheduled).toContainText("This workspace will be deleted on");
  await expect(scheduled).toContainText("Requested by Dana Delete");
  await expectAccessible(page);

  // Every page of the workspace says so; writes are refused with the reason.
  await page.goto(`/en/t/${ws.slug}`);
  const banner = page.getByRole("region", { name: "Workspace deletion" });
  await expect(banner).toContainText("This workspace is scheduled for deletion on");
  await expect(banner).toContainText("It is read-only until then.");
  const rename = await trpc.mutation(page.request, "tenant.rename", { tenantSlug: ws.slug, name: "Renamed" });
  expect(rename.status()).toBe(403);
  expect(await rename.text()).toContain("workspacePendingDeletion");
  // The owner was told by e-mail.
  expect(await (await page.request.get("/en/dev/mailbox")).text()).toContain(`${ws.name} is scheduled for deletion`);

  // The banner leads the owner back to cancel.
  await banner.getByRole("link", { name: "Cancel or review the deletion" }).click();
  await expect(page).toHaveURL(new RegExp(`/en/t/${ws.slug}/settings/privacy#workspace-deletion$`));
  await page.getByRole("button", { name: "Cancel deletion" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deletion cancelled. The workspace is active again." })).toBeVisible();
  await page.goto(`/en/t/${ws.slug}`);
  await expect(page.getByRole("navigation", { name: "Workspace", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Workspace deletion" })).toHaveCount(0);
  const renamed = await trpc.mutation(page.request, "tenant.rename", { tenantSlug: ws.slug, name: "Renamed" });
  expect(renamed.status(), await renamed.text()).toBe(200);
});

test("a sole owner is refused account deletion with the workspace named; a user without workspaces deletes their account and is signed out", { tag: "@critical" }, async ({ page, browser }) => {
  test.setTimeout(120_000);
  const ownerEmail = await signUpAndSignIn(page.request, "sole-owner", "Sol Owner");
  const ws = await createWorkspace(page.request, `Solo ${Date.now().toString(36)}`);
  await page.goto("/en/account");
  await expect(page.getByRole("heading", { name: "Delete your account" })).toBeVisible();
  await page.getByLabel(`Type your e-mail address, ${ownerEmail}, to confirm`).fill(ownerEmail);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `You are the only owner of ${ws.name}. Make another member an owner, or delete the workspace, before deleting your account.` })).toBeVisible();
  await expectAccessible(page);

  const context = await browser.newContext(perFileClientIp());
  const other = await context.newPage();
  const email = await signUpAndSignIn(other.request, "leaver", "Lee Leaver");
  await other.goto("/en/account");
  await other.getByLabel(`Type your e-mail address, ${email}, to confirm`).fill(email);
  await other.getByRole("button", { name: "Delete my account" }).click();
  await expect(other).toHaveURL(/\/en\/sign-in/);
  // Signed out for good: the account page sends them to sign in, and the account is gone.
  await other.goto("/en/account");
  await expect(other).toHaveURL(/\/en\/sign-in/);
  const me = await trpc.query(other.request, "account.me");
  expect(me.status()).toBe(401);
  await context.close();
});
