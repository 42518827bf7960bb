import { expect, test } from "@playwright/test";
import { demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

test.use(perFileClientIp());

// The embedded default runs background jobs on the local Inngest executor that
// `npm start` launches; this drives a real failing job to the dead letters and
// back, the way on-call would.
test("a failing job lands in the dead letters; once fixed, replay succeeds", async ({ page }) => {
  test.setTimeout(120_000);
  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto("/en/admin");
  await page.getByRole("link", { name: "Background jobs and dead letters" }).click();
  await expect(page).toHaveURL(/\/en\/admin\/jobs/);
  await expectAccessible(page);

  await page.getByLabel("Make it fail").check();
  await page.getByRole("button", { name: "Run diagnostic job" }).click();
  const sent = page.getByText(/Diagnostic job .+ sent\./);
  await expect(sent).toBeVisible();
  const pingId = /Diagnostic job (.+) sent\./.exec((await sent.textContent()) ?? "")![1]!;

  // Retries run with a short local backoff; the run then fails for good.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByRole("row").filter({ hasText: "system-heartbeat" }).filter({ hasText: "Open" }).count();
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);

  await page.getByRole("button", { name: `Mark diagnostic ${pingId} fixed` }).click();
  await expect(page.getByRole("button", { name: `Mark diagnostic ${pingId} fixed` })).toHaveCount(0);

  await page.getByRole("row").filter({ hasText: "system-heartbeat" }).filter({ hasText: "Open" }).first().getByRole("link", { name: /Details/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dead letter" })).toBeVisible();
  await expect(page.getByText("DiagnosticFaultError").first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Replay", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText(/Replay requested/)).toBeVisible();

  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByText("Replayed", { exact: true }).count();
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);
});

test("non-admins cannot reach the jobs area", async ({ page }) => {
  await signInWithApi(page.request, demo("OWNER"));
  await page.goto("/en/admin/jobs");
  await expect(page.getByRole("button", { name: "Run diagnostic job" })).toHaveCount(0);
});
