import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn, TEST_PASSWORD, verificationLinkFor } from "../support/accounts";
import { expectAccessible, perFileClientIp, signInWithApi, trpc, uniqueEmail } from "../support/fixtures";

test.use(perFileClientIp());

test("invite a member by email, they accept, the owner changes their role", { tag: "@critical" }, async ({ page, browser }) => {
  await signUpAndSignIn(page.request, "owner", "Orla Owner");
  const ws = await createWorkspace(page.request, `Invite Co ${Date.now().toString(36)}`);

  await page.goto(`/en/t/${ws.slug}/members`);
  await expectAccessible(page);
  const invitee = uniqueEmail("invitee");
  await page.getByLabel("Email", { exact: true }).fill(invitee);
  await page.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);

  // The invitee has their own browser session.
  const other = await browser.newContext(perFileClientIp());
  const inviteePage = await other.newPage();
  const signUp = await trpc.mutation(inviteePage.request, "account.signUp", { email: invitee, name: "Ivan Invitee", password: TEST_PASSWORD, locale: "en", acceptLegal: true });
  expect(signUp.status()).toBe(200);
  await inviteePage.request.get(await verificationLinkFor(inviteePage.request, invitee));
  // Not signed in yet: the invitation page explains and offers sign-in.
  await inviteePage.goto(new URL(link).pathname);
  await expect(inviteePage.getByText(/sign in or create an account/i)).toBeVisible();
  expect((await signInWithApi(inviteePage.request, invitee, TEST_PASSWORD)).status()).toBe(200);
  await inviteePage.reload();
  await expect(inviteePage).toHaveURL(/\/invite\//);
  await expectAccessible(inviteePage);
  await inviteePage.getByRole("button", { name: "Accept invitation" }).click();
  await expect(inviteePage).toHaveURL(new RegExp(`/en/t/${ws.slug}`));

  await page.reload();
  await expect(page.getByLabel(`Role for ${invitee}`)).toBeVisible();
  await page.getByLabel(`Role for ${invitee}`).selectOption("ADMIN");
  await expect.poll(async () => {
    const res = await trpc.query(page.request, "member.list", { tenantSlug: ws.slug });
    const members = (await res.json()).result.data.json as { email: string; role: string }[];
    return members.find((m) => m.email === invitee)?.role;
  }).toBe("ADMIN");

  // Removing the member ends their access at once.
  await page.reload();
  await page.getByRole("button", { name: `Remove ${invitee}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByLabel(`Role for ${invitee}`)).toHaveCount(0);
  const after = await trpc.query(inviteePage.request, "tenant.get", { tenantSlug: ws.slug });
  expect(after.status()).toBe(404);
  await other.close();
});

test("the last owner cannot demote themselves", async ({ page }) => {
  const email = await signUpAndSignIn(page.request, "solo", "Solo Owner");
  const ws = await createWorkspace(page.request, `Solo ${Date.now().toString(36)}`);
  await page.goto(`/en/t/${ws.slug}/members`);
  await page.getByLabel(`Role for ${email}`).selectOption("MEMBER");
  await expect(page.getByRole("alert").filter({ hasText: /at least one owner/i })).toBeVisible();
  const res = await trpc.query(page.request, "member.list", { tenantSlug: ws.slug });
  expect(((await res.json()).result.data.json as { role: string }[])[0]!.role).toBe("OWNER");
});

test("a shareable link invitation can be created and revoked", async ({ page }) => {
  await signUpAndSignIn(page.request, "linker", "Lina Linker");
  const ws = await createWorkspace(page.request, `Links ${Date.now().toString(36)}`);
  await page.goto(`/en/t/${ws.slug}/members`);
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  await page.reload();
  await page.getByRole("button", { name: /^Revoke invitation for/ }).first().click();
  await expect(page.getByText(/revoked/i).first()).toBeVisible();
  const token = new URL(link).pathname.split("/").pop()!;
  const preview = await trpc.query(page.request, "invitation.preview", { token });
  expect((await preview.json()).result.data.json.status).toBe("REVOKED");
});
