import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { expectAccessible, perFileClientIp, trpc } from "../support/fixtures";
import { formWith, RETENTION_WINDOWS } from "../support/privacy";

test.use(perFileClientIp());

// The privacy centre's settings (issue 16): an owner changes every setting from
// /t/<slug>/settings/privacy — telemetry off, residency EU, each retention window, an audit window
// under the legal minimum refused with a localised message — reloads and sees them kept; the
// providers page then offers OpenAI's EU endpoint; an admin sees the same settings read-only.

test("an owner changes every privacy setting, an audit window under a year is refused, the settings survive a reload and an admin sees them read-only", { tag: "@critical" }, async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signUpAndSignIn(page.request, "privacy-owner", "Priya Privacy");
  const ws = await createWorkspace(page.request, `Privacy ${Date.now().toString(36)}`);

  // Found from the workspace's tabs.
  await page.goto(`/en/t/${ws.slug}`);
  await page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Privacy", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/en/t/${ws.slug}/settings/privacy$`));
  await expect(page.getByRole("heading", { level: 1, name: "Privacy" })).toBeVisible();
  for (const section of ["Telemetry", "Data residency", "Retention"]) await expect(page.getByText(section, { exact: true }).first()).toBeVisible();
  await expect(page.getByText("The operator has not set up a separate storage for this region", { exact: false })).toBeVisible();
  await expect(page.getByText("OpenAI: https://us.api.openai.com/v1", { exact: false })).toBeVisible();
  await expectAccessible(page);

  // Telemetry off.
  const telemetry = page.getByLabel("Include this workspace's identifiers in telemetry");
  await expect(telemetry).toBeChecked();
  await telemetry.uncheck();
  const telemetryForm = formWith(page, "Include this workspace's identifiers in telemetry");
  await telemetryForm.getByRole("button", { name: "Save", exact: true }).click();
  await expect(telemetryForm.getByRole("status")).toHaveText("Saved.");

  // Residency: the European Union; the section then names OpenAI's EU endpoint and Anthropic's lack of one.
  await expect(page.getByRole("radio", { name: "United States" })).toBeChecked();
  await page.getByRole("radio", { name: "European Union" }).check();
  const residencyForm = formWith(page, "European Union");
  await residencyForm.getByRole("button", { name: "Save", exact: true }).click();
  await expect(residencyForm.getByRole("status")).toHaveText("Saved.");
  await expect(page.getByText("OpenAI: https://eu.api.openai.com/v1", { exact: false })).toBeVisible();
  await expect(page.getByText("Anthropic: no regional endpoint", { exact: false })).toBeVisible();

  // Retention: an audit window under the legal minimum is refused, with the class and the minimum named.
  const retentionForm = formWith(page, "Audit events");
  for (const [label, days] of RETENTION_WINDOWS) await retentionForm.getByLabel(label, { exact: true }).fill(days);
  await retentionForm.getByLabel("Audit events", { exact: true }).fill("100");
  await retentionForm.getByRole("button", { name: "Save", exact: true }).click();
  await expect(retentionForm.getByRole("alert")).toHaveText("Audit events must be kept for at least 365 days.");
  await retentionForm.getByLabel("Audit events", { exact: true }).fill("400");
  await retentionForm.getByRole("button", { name: "Save", exact: true }).click();
  await expect(retentionForm.getByRole("status")).toHaveText("Saved.");

  // Kept across a reload.
  await page.reload();
  await expect(page.getByLabel("Include this workspace's identifiers in telemetry")).not.toBeChecked();
  await expect(page.getByRole("radio", { name: "European Union" })).toBeChecked();
  for (const [label, days] of RETENTION_WINDOWS) await expect(page.getByLabel(label, { exact: true })).toHaveValue(days);
  // "Keep" again for one class: an empty field.
  await page.getByLabel("AI call logs", { exact: true }).fill("");
  await formWith(page, "AI call logs").getByRole("button", { name: "Save", exact: true }).click();
  await expect(formWith(page, "AI call logs").getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByLabel("AI call logs", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("AI call logs", { exact: true })).toHaveAttribute("placeholder", "Keep");

  // The refusal in Spanish.
  await page.goto(`/es/t/${ws.slug}/settings/privacy`);
  await page.getByLabel("Eventos de auditoría", { exact: true }).fill("30");
  const esForm = formWith(page, "Eventos de auditoría");
  await esForm.getByRole("button", { name: "Guardar", exact: true }).click();
  await expect(esForm.getByRole("alert")).toHaveText("Eventos de auditoría deben conservarse al menos 365 días.");

  // The providers page offers OpenAI's endpoint for the workspace's region, opt-in.
  await page.goto(`/en/t/${ws.slug}/settings/providers`);
  await expect(page.getByLabel("Use OpenAI's European Union endpoint (https://eu.api.openai.com/v1)")).not.toBeChecked();
  await page.getByLabel("Provider", { exact: true }).selectOption("anthropic");
  await expect(page.getByText("Anthropic has no regional endpoint for European Union", { exact: false })).toBeVisible();

  // An admin, joined through an invitation link, sees the same settings and cannot change them.
  const link = await trpc.mutation(page.request, "invitation.create", { tenantSlug: ws.slug, role: "ADMIN" });
  expect(link.status(), await link.text()).toBe(200);
  const token = ((await link.json()).result.data.json.link as string).split("/invite/")[1];
  const adminContext = await browser.newContext(perFileClientIp());
  const admin = await adminContext.newPage();
  await signUpAndSignIn(admin.request, "privacy-admin", "Ada Admin");
  expect((await trpc.mutation(admin.request, "invitation.accept", { token })).status()).toBe(200);
  await admin.goto(`/en/t/${ws.slug}/settings/privacy`);
  await expect(admin.getByText("Only owners can change the privacy settings. You can see them.")).toBeVisible();
  await expect(admin.getByLabel("Include this workspace's identifiers in telemetry")).not.toBeChecked();
  await expect(admin.getByLabel("Include this workspace's identifiers in telemetry")).toBeDisabled();
  await expect(admin.getByRole("radio", { name: "European Union" })).toBeChecked();
  await expect(admin.getByRole("radio", { name: "European Union" })).toBeDisabled();
  await expect(admin.getByLabel("Audit events", { exact: true })).toHaveValue("400");
  await expect(admin.getByLabel("Audit events", { exact: true })).toBeDisabled();
  await expect(admin.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  // The API refuses the admin too.
  const refused = await trpc.mutation(admin.request, "privacy.update", { tenantSlug: ws.slug, telemetryEnabled: true });
  expect(refused.status()).toBe(403);
  await expectAccessible(admin);
  await adminContext.close();
});
