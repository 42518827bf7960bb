import { expect, test, type Page } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi, trpc } from "../support/fixtures";

test.use(perFileClientIp());

// Key rotation in the product (security issue 13): an owner rotates the
// workspace's data key and rolls it back from /t/<slug>/settings/security, a
// member is refused, a platform admin re-wraps the fleet from /admin/keys.
// The jobs run on the e2e server's local executor; serve.mjs sets
// KEY_CACHE_TTL_SECONDS=1 so a rotation finishes in seconds.

const JOB_TIMEOUT = 45_000;

const versionRow = (page: Page, version: number) => page.getByTestId("key-version").and(page.locator(`[data-version="${version}"]`));
const versionStatus = (page: Page, version: number) => versionRow(page, version).getByTestId("key-version-status");

test("an owner rotates the data key and rolls the rotation back, while every secret stays readable", { tag: "@critical" }, async ({ page }) => {
  test.setTimeout(150_000);
  await signUpAndSignIn(page.request, "keys", "Kira Keys");
  const ws = await createWorkspace(page.request, `Keys ${Date.now().toString(36)}`);
  // One BYOK credential: the first secret creates data key v1.
  const created = await trpc.mutation(page.request, "provider.create", {
    tenantSlug: ws.slug,
    provider: "openai-compatible",
    label: "Rotated vLLM",
    apiKey: "sk-e2e-rotation-0123456789-abcd",
    baseUrl: "http://127.0.0.1:9/v1",
  });
  expect(created.status(), await created.text()).toBe(200);

  await page.goto(`/en/t/${ws.slug}`);
  await page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Security", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/en/t/${ws.slug}/settings/security$`));
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Encryption keys" })).toBeVisible();
  await expect(page.getByText(/encrypted with a data key that belongs to this workspace alone/)).toBeVisible();
  await expect(page.getByTestId("active-version")).toHaveText("v1");
  await expect(page.getByText("Every 90 days")).toBeVisible();
  // The embedded default's key vault (ADR 0016): deleting the workspace destroys its own key file too.
  await expect(page.getByTestId("deletion-key")).toHaveText(/its own key in a key file kept outside the database: no database backup opens it afterwards/);

  const versions = page.getByRole("table", { name: "The workspace's data key versions, newest first" });
  await expect(versions.getByRole("columnheader", { name: "Secrets under it" })).toBeVisible();
  await expect(versionStatus(page, 1)).toHaveText("Active");
  await expect(versionRow(page, 1).getByRole("cell").nth(6)).toHaveText("1");
  await expect(page.getByText("No key operation is running.")).toBeVisible();
  // Nothing to roll back yet: the button says why and does not open.
  const rollback = page.getByRole("button", { name: "Roll back last rotation" });
  await expect(rollback).toBeDisabled();
  await expect(page.getByText("There is no finished rotation to roll back.")).toBeVisible();
  await expectAccessible(page);

  // Rotate now: the dialog says what will happen; focus returns to the button.
  const rotate = page.getByRole("button", { name: "Rotate now" });
  await rotate.click();
  const dialog = page.getByRole("dialog", { name: "Rotate the data key now?" });
  await expect(dialog).toContainText("Reads and writes keep working throughout");
  await expect(dialog).toContainText("rollback window");
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Rotate now" }).click();
  await expect(dialog).toBeHidden();
  await expect(rotate).toBeFocused();

  // v2 active, v1 kept for decrypting during the rollback window; the secret moved to v2.
  await expect(versionStatus(page, 2)).toHaveText("Active", { timeout: JOB_TIMEOUT });
  await expect(versionStatus(page, 1)).toHaveText("Decrypt only");
  await expect(page.getByTestId("active-version")).toHaveText("v2");
  await expect(page.getByTestId("current-operation-status")).toHaveText("Waiting for the rollback window");
  await expect(page.getByTestId("current-operation")).toContainText(/v1 stays usable for decrypting until .+, the end of the rollback window/);
  const progress = page.getByRole("progressbar", { name: "Rotation progress" });
  await expect(progress).toHaveAttribute("aria-valuenow", "1");
  await expect(progress).toHaveAttribute("aria-valuemax", "1");
  await expect(versionRow(page, 2).getByRole("cell").nth(6)).toHaveText("1");
  await expect(versionRow(page, 1).getByRole("cell").nth(6)).toHaveText("0");
  await expect(page.getByTestId("keys-announcer")).toHaveText("Rotation finished: Waiting for the rollback window.");
  const history = page.getByRole("table", { name: "The workspace's latest key operations, newest first" });
  await expect(history.getByRole("row", { name: /Rotation/ })).toContainText("Manual");
  await expect(history.getByRole("row", { name: /Rotation/ })).toContainText("v1 → v2");

  // The credential still decrypts: the providers page lists it.
  expect((await trpc.query(page.request, "provider.list", { tenantSlug: ws.slug })).status()).toBe(200);

  // Roll back: v1 active again, v2 decrypt-only, the rotation marked rolled back.
  await expect(rollback).toBeEnabled();
  await rollback.click();
  const confirmRollback = page.getByRole("dialog", { name: "Roll back the last rotation?" });
  await expect(confirmRollback).toContainText("Reads and writes keep working throughout");
  await confirmRollback.getByRole("button", { name: "Roll back" }).click();
  await expect(confirmRollback).toBeHidden();
  await expect(versionStatus(page, 1)).toHaveText("Active", { timeout: JOB_TIMEOUT });
  await expect(versionStatus(page, 2)).toHaveText("Decrypt only");
  await expect(page.getByTestId("active-version")).toHaveText("v1");
  await expect(versionRow(page, 1).getByRole("cell").nth(6)).toHaveText("1");
  await expect(history.getByRole("row", { name: /^Rollback/ })).toContainText("v2 → v1");
  await expect(history.getByRole("row", { name: /^Rotation/ }).getByTestId("key-operation-status")).toHaveText("Rolled back");
  expect((await trpc.query(page.request, "provider.list", { tenantSlug: ws.slug })).status()).toBe(200);
  await expectAccessible(page);

  await page.goto(`/es/t/${ws.slug}/settings/security`);
  await expect(page.getByRole("heading", { level: 1, name: "Seguridad" })).toBeVisible();
  await expect(versionStatus(page, 1)).toHaveText("Activa");
  await expect(versionStatus(page, 2)).toHaveText("Solo descifrado");
  await expectAccessible(page);
});

test("a workspace admin sees the keys but cannot rotate, roll back or destroy", async ({ page }) => {
  await signInWithApi(page.request, demo("ADMIN"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/settings/security`);
  await expect(page.getByRole("heading", { level: 2, name: "Key versions" })).toBeVisible();
  await expect(page.getByText("Only owners can rotate, roll back or destroy keys.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Rotate now" })).toHaveCount(0);
  expect((await trpc.mutation(page.request, "keys.rotate", { tenantSlug: DEMO_TENANT.slug })).status()).toBe(403);
  expect((await trpc.mutation(page.request, "keys.rollback", { tenantSlug: DEMO_TENANT.slug })).status()).toBe(403);
});

test("a member is refused the security page and the key procedures", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/settings/security`);
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  await expect(page.getByText("Only owners and admins can see the workspace's encryption keys.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Security", exact: true })).toHaveCount(0);
  expect((await trpc.query(page.request, "keys.status", { tenantSlug: DEMO_TENANT.slug })).status()).toBe(403);
  expect((await trpc.mutation(page.request, "keys.rotate", { tenantSlug: DEMO_TENANT.slug })).status()).toBe(403);
  expect((await trpc.mutation(page.request, "keys.destroy", { tenantSlug: DEMO_TENANT.slug, version: 1, confirmation: "destroy v1" })).status()).toBe(403);
  expect((await trpc.query(page.request, "admin.keys.fleet")).status()).toBe(403);
  await expectAccessible(page);
});

test("a platform admin sees the fleet's keys and re-wraps every data key under the current master key", async ({ page }) => {
  test.setTimeout(120_000);
  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto("/en/admin");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Keys", exact: true }).click();
  await expect(page).toHaveURL(/\/en\/admin\/keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "Encryption keys" })).toBeVisible();

  const ages = page.getByRole("table", { name: "Workspaces by the age of their active data key" });
  for (const bucket of ["Under 30 days", "30–60 days", "60 days up to the policy", /Over the policy \(\d+ days\)/]) {
    await expect(ages.getByRole("rowheader", { name: bucket })).toBeVisible();
  }
  await expect(page.getByText(/Current master key version: v\d+\./)).toBeVisible();
  await expect(page.getByRole("table", { name: "Data keys per master key version" })).toBeVisible();
  await expect(page.getByTestId("stale-data-keys")).toBeVisible();
  await expect(page.getByText("docs/runbooks/key-rotation.md")).toBeVisible();
  await expect(page.getByTestId("fleet-failed")).toBeVisible();
  // Incident response: every workspace's data key at once (its effects are in key-rotation.test.ts and access-logging.test.ts).
  await expect(page.getByRole("heading", { level: 2, name: "Rotate every workspace's data key" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Rotate every workspace's data key" })).toBeVisible();
  // The workspace rotated by the first test links to its admin page.
  const recent = page.getByRole("table", { name: "The latest key operations across the platform, newest first" });
  await expect(recent.getByRole("link").first()).toHaveAttribute("href", /\/en\/admin\/tenants\/[\w-]+$/);
  await expectAccessible(page);

  const rewrap = page.getByRole("button", { name: /^Re-wrap all data keys under master key v\d+$/ });
  await rewrap.click();
  const dialog = page.getByRole("dialog", { name: /Re-wrap every data key under master key v\d+\?/ });
  await expect(dialog).toContainText("deployed to every process");
  await expect(dialog).toContainText("docs/runbooks/key-rotation.md");
  await dialog.getByRole("button", { name: "Start the re-wrap" }).click();
  await expect(dialog).toBeHidden();
  await expect(rewrap).toBeFocused();

  const master = recent.getByRole("row", { name: /Master key re-wrap/ }).first();
  await expect(master.getByTestId("key-operation-status")).toHaveText("Completed", { timeout: JOB_TIMEOUT });
  await expect(master).toContainText("All workspaces");
  await expect(page.getByTestId("stale-data-keys")).toContainText("Every data key is wrapped under the current master key");
  await expectAccessible(page);

  await page.goto("/es/admin/keys");
  await expect(page.getByRole("heading", { level: 1, name: "Claves de cifrado" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Claves de datos por versión de la clave maestra" })).toBeVisible();
  await expectAccessible(page);
});
