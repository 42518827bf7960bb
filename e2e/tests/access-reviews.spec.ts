import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { expectAccessible, perFileClientIp, trpc, uniqueEmail } from "../support/fixtures";

test.use(perFileClientIp());

// Periodic access review (security issue 13), end to end: the owner of a workspace with a
// member, a pending invitation and a provider key reviews who and what has access, revokes
// the invitation, keeps the rest and completes the review; the member cannot see or run it.
test("an owner reviews access: revokes a pending invitation, keeps the rest, completes; a member is refused", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const ownerEmail = await signUpAndSignIn(page.request, "review-owner", "Rita Reviewer");
  const ws = await createWorkspace(page.request, `Reviewed ${Date.now().toString(36)}`);
  const tenantSlug = ws.slug;

  // A member, who joined through a shareable link, in their own browser session.
  const memberContext = await browser.newContext(perFileClientIp());
  const member = await memberContext.newPage();
  const memberEmail = await signUpAndSignIn(member.request, "review-member", "Mo Member");
  const link = await trpc.mutation(page.request, "invitation.create", { tenantSlug, role: "MEMBER" });
  expect(link.status(), await link.text()).toBe(200);
  const token = ((await link.json()).result.data.json.link as string).split("/invite/")[1];
  expect((await trpc.mutation(member.request, "invitation.accept", { token })).status()).toBe(200);

  // A pending invitation (to be revoked) and a provider key (to be kept).
  const inviteeEmail = uniqueEmail("review-invitee");
  expect((await trpc.mutation(page.request, "invitation.create", { tenantSlug, email: inviteeEmail, role: "ADMIN" })).status()).toBe(200);
  expect((await trpc.mutation(page.request, "provider.create", { tenantSlug, provider: "openai", label: "Review key", apiKey: "sk-e2e-review-key-9876" })).status()).toBe(200);

  // The owner finds access reviews from the workspace settings.
  await page.goto(`/en/t/${tenantSlug}/settings`);
  await page.getByRole("link", { name: "Open access reviews" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Access reviews" })).toBeVisible();
  await expect(page.getByText("No review is open.")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Start a review" }).click();
  await expect(page.getByText("0 of 4 lines decided")).toBeVisible();
  const members = page.getByRole("table", { name: "Members of the workspace when the review started" });
  const invitations = page.getByRole("table", { name: "Invitations that were pending when the review started" });
  const keys = page.getByRole("table", { name: "AI provider keys stored when the review started" });
  await expect(members.getByRole("row")).toHaveCount(3);
  await expect(invitations.getByRole("row").filter({ hasText: inviteeEmail })).toContainText("Admin");
  await expect(keys.getByRole("row").filter({ hasText: "Review key" })).toContainText("••••9876");
  // The owner cannot revoke themself here.
  await expect(page.getByRole("button", { name: `Revoke access for ${ownerEmail}` })).toHaveCount(0);
  await expectAccessible(page);

  // Revoking asks first, then revokes the invitation for real.
  await page.getByRole("button", { name: `Revoke access for ${inviteeEmail}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke the invitation for ${inviteeEmail}?` });
  await expect(dialog).toContainText("The invitation link stops working at once.");
  await dialog.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(invitations.getByRole("row").filter({ hasText: inviteeEmail })).toContainText("Revoked");
  await expect(page.getByText("1 of 4 lines decided")).toBeVisible();

  // The rest is kept; then the review can be completed.
  for (const label of [ownerEmail, memberEmail, "Review key"]) {
    await page.getByRole("button", { name: `Keep access for ${label}` }).click();
    await expect(page.getByRole("button", { name: `Keep access for ${label}` })).toHaveCount(0);
  }
  await expect(page.getByText("4 of 4 lines decided")).toBeVisible();
  await expect(members.getByRole("row").filter({ hasText: memberEmail })).toContainText("Kept");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Complete review" }).click();

  await expect(page.getByText("No review is open.")).toBeVisible();
  await expect(page.getByText(/^Last review completed: /)).toBeVisible();
  const history = page.getByRole("table", { name: "Access reviews of this workspace, newest first" });
  const done = history.getByRole("row").nth(1);
  await expect(done).toContainText("Completed");
  await expect(done).toContainText(ownerEmail);
  await expect(done.getByRole("cell").nth(4)).toHaveText("3");
  await expect(done.getByRole("cell").nth(5)).toHaveText("1");
  await expectAccessible(page);

  // The past review stays readable, without buttons.
  await done.getByRole("link", { name: /^View the review opened / }).click();
  await expect(page.getByRole("heading", { level: 2, name: /^Review opened / })).toBeVisible();
  await expect(invitations.getByRole("row").filter({ hasText: inviteeEmail })).toContainText("Revoked");
  await expect(page.getByRole("button", { name: /^(Keep|Revoke) access for / })).toHaveCount(0);

  // The revocation was carried out, and the audit trail has the review's events.
  const listed = await trpc.query(page.request, "invitation.list", { tenantSlug });
  const rows = (await listed.json()).result.data.json as { email: string | null; status: string }[];
  expect(rows.find((r) => r.email === inviteeEmail)?.status).toBe("REVOKED");
  await page.goto(`/en/t/${tenantSlug}/audit?action=access_review.`);
  for (const action of ["access_review.opened", "access_review.item_decided", "access_review.completed"]) {
    await expect(page.getByRole("row").filter({ hasText: action }).first()).toBeVisible();
  }

  // The member is refused: the page says so, and the API answers 403.
  await member.goto(`/en/t/${tenantSlug}/settings/access-reviews`);
  await expect(member.getByText("Only owners and admins can see access reviews.")).toBeVisible();
  await expect(member.getByRole("button", { name: "Start a review" })).toHaveCount(0);
  await expectAccessible(member);
  expect((await trpc.query(member.request, "accessReview.list", { tenantSlug })).status()).toBe(403);
  expect((await trpc.mutation(member.request, "accessReview.open", { tenantSlug })).status()).toBe(403);
  await memberContext.close();
});
