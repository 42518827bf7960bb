import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

test.use(perFileClientIp());

// Break-glass support access, end to end: a platform admin opens an audited,
// time-boxed session on a fresh workspace; its owner is told in the app and
// finds the session, with the admin's reason, in the workspace's audit trail.
test("a support session is visible to the workspace owner: notice, reason and reads in the audit trail", { tag: "@critical" }, async ({ page, browser }) => {
  test.setTimeout(120_000);
  const reason = `Ticket ${Date.now().toString(36)}: the owner reports missing chat answers`;

  // The owner: a new account with a new workspace, in its own browser session.
  const ownerContext = await browser.newContext(perFileClientIp());
  const owner = await ownerContext.newPage();
  await signUpAndSignIn(owner.request, "support-owner", "Olga Owner");
  const ws = await createWorkspace(owner.request, `Support Target ${Date.now().toString(36)}`);

  // The platform admin opens a session for it.
  expect((await signInWithApi(page.request, demo("PLATFORM_ADMIN"))).status()).toBe(200);
  await page.goto("/en/admin/support");
  await expect(page.getByRole("heading", { level: 1, name: "Support access" })).toBeVisible();
  await page.getByLabel("Find a workspace").fill(ws.slug);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\?q=/);
  await expectAccessible(page);
  await page.getByRole("combobox", { name: "Workspace", exact: true }).selectOption({ label: `${ws.name} (${ws.slug})` });
  await page.getByLabel("Reason (shown to the workspace's owners)").fill(reason);
  await page.getByLabel("Duration").selectOption("15");
  await page.getByRole("button", { name: "Open session" }).click();

  // The read view, bannered; opening the conversation list is a recorded read.
  await expect(page.getByRole("heading", { level: 1, name: `Support session: ${ws.name}` })).toBeVisible();
  await expect(page.getByText("Support session — everything you open is recorded")).toBeVisible();
  await expect(page.getByText(reason)).toBeVisible();
  await expect(page.getByText("Nothing here.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Documents" }).click();
  await expect(page.getByRole("link", { name: "Documents" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("Nothing here.")).toBeVisible();

  // The session is listed as active with its time left.
  await page.goto("/en/admin/support");
  const row = page.getByRole("row").filter({ hasText: reason });
  await expect(row).toBeVisible();
  await expect(row.getByText(/min \d+ s left/)).toBeVisible();

  // The owner sees the notice on their workspace…
  await owner.goto(`/en/t/${ws.slug}`);
  const notice = owner.getByRole("region", { name: "Support access notice" });
  await expect(notice).toContainText(`OC Suite support opened a session: ${reason}, until`);
  await expectAccessible(owner);
  // …follows it to the Audit page, where the session and what was read are listed.
  await notice.getByRole("link", { name: "See the audit trail" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "Audit trail" })).toBeVisible();
  await expect(owner.getByRole("link", { name: "Audit", exact: true })).toHaveAttribute("aria-current", "page");
  const opened = owner.getByRole("row").filter({ hasText: "support_session.opened" });
  await expect(opened).toContainText(`Reason: ${reason}`);
  await expect(opened).toContainText("OC Suite support:");
  await expect(owner.getByRole("row").filter({ hasText: "support_session.read" }).filter({ hasText: "Read the document list" })).toBeVisible();
  await expect(owner.getByRole("row").filter({ hasText: "support_session.read" }).filter({ hasText: "Read the conversation list" })).toBeVisible();
  await expectAccessible(owner);

  // The chain verifies, and the export carries the reason.
  await owner.getByRole("button", { name: "Verify integrity" }).click();
  await expect(owner.getByRole("status").getByText(/^Intact: \d+ events? checked/)).toBeVisible();
  const csv = await owner.request.get(`/api/t/${ws.slug}/audit/export?format=csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(reason);

  // Dismissing the notice removes it; the audit trail keeps the record.
  await owner.goto(`/en/t/${ws.slug}`);
  await owner.getByRole("region", { name: "Support access notice" }).getByRole("button", { name: "Dismiss" }).click();
  await expect(owner.getByRole("region", { name: "Support access notice" })).toHaveCount(0);

  // The admin ends the session early; the read view then refuses to read.
  await page.goto("/en/admin/support");
  await page.getByRole("button", { name: `End the support session for ${ws.name}` }).click();
  await expect(page.getByRole("row").filter({ hasText: reason }).getByText("Ended")).toBeVisible();
  await ownerContext.close();
});

test("members get no Audit tab and no audit data", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}`);
  await expect(page.getByRole("navigation", { name: "Workspace" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Audit", exact: true })).toHaveCount(0);
  expect((await page.request.get(`/api/t/${DEMO_TENANT.slug}/audit/export?format=json`)).status()).toBe(403);
  await page.goto(`/en/t/${DEMO_TENANT.slug}/audit`);
  await expect(page.getByText("Only owners and admins can see the audit trail.")).toBeVisible();
});
