import { expect, test } from "@playwright/test";
import { demo, expectAccessible, perFileClientIp } from "../support/fixtures";

// Localisation as a visitor meets it on the production build the suite runs
// (docs/i18n.md): only the shipped locales are routed, and mail follows the
// language of the page it was asked from.

test.use(perFileClientIp());

test("production routes only the shipped locales: the dev pseudo-locale en-XA is unknown", async ({ page }) => {
  const pseudo = await page.goto("/en-XA/sign-in");
  expect(pseudo?.status()).toBe(404);

  await page.goto("/en/sign-in");
  await page.getByRole("button", { name: "Language: English" }).click();
  await expect(page.getByRole("menuitemradio")).toHaveText(["English", "Español"]);
  await expect(page.getByRole("menuitemradio", { name: "English" })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");

  // The proxy's protected-path pattern comes from the same list: a signed-out visit to a
  // Spanish workspace page lands on the Spanish sign-in page and comes back there.
  await page.goto("/es/workspaces");
  await expect(page).toHaveURL(/\/es\/sign-in\?callbackUrl=%2Fes%2Fworkspaces/);
  await expect(page.getByRole("heading", { level: 1, name: "Inicia sesión en OC Suite" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expectAccessible(page);
});

test("a magic link asked for on the Spanish sign-in page arrives in Spanish", async ({ page }) => {
  const email = demo("MEMBER");
  await page.goto("/es/sign-in");
  await page.getByLabel("Dirección a la que enviar el enlace").fill(email);
  await page.getByRole("button", { name: "Envíame un enlace de acceso" }).click();
  await expect(page).toHaveURL(/\/es\/sign-in\/check-email/);

  await page.goto("/es/dev/mailbox");
  // Newest first: the mail just sent to this address.
  const mail = page.getByRole("listitem").filter({ hasText: email }).first();
  await expect(mail.getByRole("heading", { level: 2 })).toHaveText("Tu enlace para iniciar sesión en OC Suite");
  await expect(mail).toContainText("Inicia sesión en OC Suite con este enlace (válido durante 15 minutos, de un solo uso):");
  await expect(mail.getByRole("link", { name: /\/api\/auth\/callback\/email\?/ })).toBeVisible();
});
