import { expect, test } from "@playwright/test";
import { TEST_PASSWORD, verificationLinkFor } from "../support/accounts";
import { perFileClientIp, signInWithApi, trpc, uniqueEmail } from "../support/fixtures";

test.use(perFileClientIp());

/** Where Auth.js sent the credentials sign-in (error and code of a refusal). */
const signInOutcome = async (res: Awaited<ReturnType<typeof signInWithApi>>) => {
  const url = new URL(((await res.json()) as { url: string }).url);
  return { error: url.searchParams.get("error"), code: url.searchParams.get("code") };
};

test("account pre-hijacking: an attacker's password sign-up for the victim's address never opens it, and the victim's magic link shuts it out", async ({ page, browser }) => {
  const victim = uniqueEmail("victim");

  // The attacker registers the victim's address with a password of their own.
  const attacker = await browser.newContext(perFileClientIp());
  const signUp = await trpc.mutation(attacker.request, "account.signUp", { email: victim, name: "Not The Victim", password: TEST_PASSWORD, locale: "en", acceptLegal: true });
  expect(signUp.status()).toBe(200);
  // Unverified: the password opens nothing, so the attacker cannot create workspaces or accept invitations.
  expect(await signInOutcome(await signInWithApi(attacker.request, victim, TEST_PASSWORD))).toEqual({ error: "CredentialsSignin", code: "email_unverified" });
  expect((await trpc.query(attacker.request, "account.me")).status()).toBe(401);
  expect((await trpc.mutation(attacker.request, "tenant.create", { name: "Trap Workspace" })).status()).toBe(401);
  // The confirmation link went to the victim's mailbox, which the attacker cannot read; keep it to try later.
  const attackersLink = await verificationLinkFor(attacker.request, victim);

  // The victim signs in by magic link, as they always have.
  await page.goto("/en/sign-in");
  await page.getByLabel("Address to send the link to").fill(victim);
  await page.getByRole("button", { name: /email me a sign-in link/i }).click();
  await expect(page).toHaveURL(/\/en\/sign-in\/check-email/);
  await page.goto("/en/dev/mailbox");
  const link = page.getByRole("link", { name: new RegExp(`/api/auth/callback/email\\?.*email=${encodeURIComponent(victim)}`) }).first();
  await page.goto((await link.getAttribute("href"))!);
  await page.goto("/en/account");
  await expect(page.locator("#main-content").getByText(victim, { exact: true })).toBeVisible();

  // The attacker's password was discarded: a plain wrong-password refusal now, and still no session.
  expect(await signInOutcome(await signInWithApi(attacker.request, victim, TEST_PASSWORD))).toEqual({ error: "CredentialsSignin", code: "credentials" });
  expect((await trpc.query(attacker.request, "account.me")).status()).toBe(401);
  // The pending confirmation link died with the password.
  await attacker.request.get(attackersLink).then(async (r) => expect(await r.text()).toContain("This link does not work"));

  // The victim is in no workspace the attacker set up, and can make their own.
  const tenants = (await (await trpc.query(page.request, "tenant.list")).json()).result.data.json as unknown[];
  expect(tenants).toEqual([]);
  expect((await trpc.mutation(page.request, "tenant.create", { name: `Victim Co ${Date.now().toString(36)}` })).status()).toBe(200);
  await attacker.close();
});
