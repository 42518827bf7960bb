import { expect, test, type Page } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi, trpc } from "../support/fixtures";

test.use(perFileClientIp());

/** A persona's card: the list item whose heading is the persona's current name. */
const card = (page: Page, name: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name, exact: true }) });

test("an admin renames the CFO and disables the CMO; both persist, and a reset restores the template", async ({ page }) => {
  await signUpAndSignIn(page.request, "personas", "Pat Personas");
  const ws = await createWorkspace(page.request, `Personas ${Date.now().toString(36)}`);

  await page.goto(`/en/t/${ws.slug}/settings/personas`);
  await expect(page.getByRole("heading", { level: 1, name: "Executive personas" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3 })).toHaveCount(7);
  await expect(card(page, "Chief Financial Officer")).toContainText("Offline model");
  await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Personas" })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page);

  // Rename the CFO and give it its own instructions.
  const cfo = card(page, "Chief Financial Officer");
  await cfo.getByText("Edit Chief Financial Officer").click();
  await cfo.getByLabel("Name").fill("Chief Money Officer");
  await cfo.getByLabel("Standing instructions").fill("Count every cent.\nReport cash weekly.");
  await cfo.getByLabel("Temperature").fill("0.4");
  await expectAccessible(page);
  await cfo.getByRole("button", { name: "Save Chief Financial Officer" }).click();
  const renamed = card(page, "Chief Money Officer");
  await expect(renamed).toBeVisible();
  await expect(renamed.getByRole("status")).toHaveText("Saved.");
  await expect(renamed).toContainText("Customised");
  await expect(renamed).toContainText("Template: Chief Financial Officer");

  // Disable the CMO, with the keyboard only.
  const cmo = card(page, "Chief Marketing Officer");
  await cmo.getByText("Edit Chief Marketing Officer").focus();
  await page.keyboard.press("Enter");
  const enabled = cmo.getByRole("checkbox", { name: "Enabled" });
  await expect(enabled).toBeChecked();
  await enabled.focus();
  await page.keyboard.press("Space");
  await expect(enabled).not.toBeChecked();
  await cmo.getByRole("button", { name: "Save Chief Marketing Officer" }).press("Enter");
  await expect(cmo.getByText("Disabled", { exact: true })).toBeVisible();

  // Persisted: a fresh page load shows both changes.
  await page.reload();
  await expect(card(page, "Chief Money Officer")).toContainText("Customised");
  await expect(card(page, "Chief Financial Officer")).toHaveCount(0);
  await expect(card(page, "Chief Marketing Officer").getByText("Disabled", { exact: true })).toBeVisible();
  // The badge (the "Enabled" checkbox label inside the closed editor also matches).
  await expect(card(page, "Chief Executive Officer").getByText("Enabled", { exact: true }).first()).toBeVisible();
  const res = await trpc.query(page.request, "persona.list", { tenantSlug: ws.slug });
  expect(res.status()).toBe(200);
  const { personas } = (await res.json()).result.data.json as { personas: { key: string; name: string; enabled: boolean; temperature: number | null; instructions: string }[] };
  expect(personas.find((p) => p.key === "cfo")).toMatchObject({ name: "Chief Money Officer", enabled: true, temperature: 0.4, instructions: "Count every cent.\nReport cash weekly." });
  expect(personas.find((p) => p.key === "cmo")).toMatchObject({ enabled: false });

  // Reset to template, after a confirmation dialog.
  const money = card(page, "Chief Money Officer");
  await money.getByText("Edit Chief Money Officer").click();
  await money.getByRole("button", { name: "Reset Chief Money Officer to the template" }).click();
  const dialog = page.getByRole("dialog", { name: "Reset Chief Money Officer to the template?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Reset persona" }).click();
  await expect(dialog).toBeHidden();
  const restored = card(page, "Chief Financial Officer");
  await expect(restored).toBeVisible();
  await expect(restored).not.toContainText("Customised");
  await expect(restored.getByLabel("Name")).toHaveValue("Chief Financial Officer");
});

test("the company profile is edited on the settings page", async ({ page }) => {
  await signUpAndSignIn(page.request, "profile", "Pia Profile");
  const ws = await createWorkspace(page.request, `Profile ${Date.now().toString(36)}`);
  await page.goto(`/en/t/${ws.slug}/settings`);
  await page.getByLabel("Industry").fill("Warehouse robotics");
  await page.getByLabel("About the company").fill("We build robots that pick orders.");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Industry")).toHaveValue("Warehouse robotics");
  await expect(page.getByLabel("About the company")).toHaveValue("We build robots that pick orders.");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Customise personas" }).click();
  await expect(page).toHaveURL(new RegExp(`/en/t/${ws.slug}/settings/personas$`));
});

test("a member cannot customise personas", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/settings/personas`);
  await expect(page.getByText("Only admins and owners can customise personas.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 3 })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expectAccessible(page);
  // The API refuses too, whatever the page shows.
  const list = await trpc.query(page.request, "persona.list", { tenantSlug: DEMO_TENANT.slug });
  expect(list.status()).toBe(403);
  const update = await trpc.mutation(page.request, "persona.update", { tenantSlug: DEMO_TENANT.slug, key: "cfo", enabled: false });
  expect(update.status()).toBe(403);
});
