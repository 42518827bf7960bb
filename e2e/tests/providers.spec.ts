import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { expectAccessible, perFileClientIp } from "../support/fixtures";

test.use(perFileClientIp());

test("BYOK: a provider key is saved encrypted and never comes back to the browser", { tag: "@critical" }, async ({ page }) => {
  await signUpAndSignIn(page.request, "byok", "Bea Byok");
  const ws = await createWorkspace(page.request, `Keys ${Date.now().toString(36)}`);
  const apiKey = `sk-e2e-${Date.now().toString(36)}-SECRETVALUE-wxyz`;

  // Every response the browser receives from here on is searched for the key.
  const leaks: string[] = [];
  page.on("response", async (res) => {
    const body = await res.text().catch(() => "");
    if (body.includes(apiKey) || body.includes("SECRETVALUE")) leaks.push(res.url());
  });

  await page.goto(`/en/t/${ws.slug}/settings/providers`);
  await expectAccessible(page);
  await page.getByLabel("Provider").selectOption({ label: "OpenAI-compatible" });
  await page.getByLabel("Name").fill("Local vLLM");
  await page.getByLabel("API key").fill(apiKey);
  await page.getByLabel("Base URL").fill("http://127.0.0.1:9/v1");
  await page.getByRole("button", { name: "Save credential" }).click();

  const row = page.getByRole("row").filter({ hasText: "Local vLLM" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("wxyz");
  await expect(page.getByLabel("API key")).toHaveValue("");

  // A failing connection test is reported, not crashed on (nothing listens on port 9).
  await row.getByRole("button", { name: /Test the connection of Local vLLM/ }).click();
  await expect(page.getByText(/The connection failed/)).toBeVisible();

  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: "Local vLLM" })).toContainText("wxyz");
  expect(await page.content()).not.toContain("SECRETVALUE");
  expect(leaks).toEqual([]);
});
