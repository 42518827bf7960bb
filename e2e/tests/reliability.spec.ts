import { expect, test } from "@playwright/test";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi, trpc } from "../support/fixtures";

test.use(perFileClientIp());

// Reliability in the product: the platform admin's /admin/ops and a
// workspace's own usage page, from the same database the service writes.

test("a platform admin sees service health, the SLO table with budgets and the job queues on /admin/ops", async ({ page }) => {
  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto("/en/admin");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Reliability" }).click();
  await expect(page).toHaveURL(/\/en\/admin\/ops$/);
  await expect(page.getByRole("heading", { level: 1, name: "Reliability" })).toBeVisible();

  await expect(page.getByRole("heading", { level: 2, name: "Service health" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Database/ }).getByText("Healthy")).toBeVisible();

  const slos = page.getByRole("table", { name: /SLO status/ });
  await expect(slos).toBeVisible();
  for (const title of ["Chat time to first token", "Chat turn success", "API availability", "API latency", "Background job success", "Job queue wait"]) {
    await expect(slos.getByRole("rowheader", { name: new RegExp(title) })).toBeVisible();
  }
  // Status is text, not colour alone; the database SLOs say where they come from.
  await expect(slos.getByRole("row", { name: /Chat turn success/ })).toContainText(/Meeting objective|At risk|Objective missed|No data yet/);
  await expect(slos.getByRole("row", { name: /Background job success/ })).toContainText("Database, all instances, last 28 days");
  // The API SLOs are this server instance's own counters, and say so.
  await expect(slos.getByRole("row", { name: /API availability/ })).toContainText("This server instance, since");
  await expect(page.getByText(/requests served by other instances are not included/)).toBeVisible();

  await expect(page.getByRole("heading", { level: 2, name: "Job queues" })).toBeVisible();
  await expect(page.getByText(/with Inngest Cloud these tables stay empty/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Top workspaces by tokens" })).toBeVisible();

  // The live part refreshes on its own; pausing is a toggle button.
  const pause = page.getByRole("button", { name: "Pause auto-refresh" });
  await pause.click();
  await expect(pause).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("Auto-refresh is paused.")).toBeVisible();
  await expectAccessible(page);
});

test("an owner sees the workspace's usage charts with their table alternative", async ({ page }) => {
  await signInWithApi(page.request, demo("OWNER"));
  // One chat answer (the offline model), so the latency and token charts have a day to draw.
  const turn = await page.request.post(`/api/t/${DEMO_TENANT.slug}/chat`, { data: { action: "send", personaKey: "cfo", content: "How is our cash position?" } });
  expect(turn.status()).toBe(200);
  await turn.body();

  await page.goto(`/en/t/${DEMO_TENANT.slug}`);
  await page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Usage", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/en/t/${DEMO_TENANT.slug}/usage$`));
  await expect(page.getByRole("heading", { level: 1, name: "Usage and reliability" })).toBeVisible();
  await expect(page.getByRole("table", { name: "This workspace's SLO status" }).getByRole("rowheader", { name: /Chat time to first token/ })).toBeVisible();

  const latency = page.getByRole("figure", { name: "Chat: time to first answer text" });
  await expect(latency.getByRole("img", { name: /Chat: time to first answer text.*Median and 95th percentile per day/ })).toBeVisible();
  const show = latency.getByRole("button", { name: "Show as table" });
  await show.focus();
  await page.keyboard.press("Enter");
  await expect(latency.getByRole("button", { name: "Hide table" })).toHaveAttribute("aria-expanded", "true");
  const table = latency.getByRole("table", { name: "Chat: time to first answer text" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "95th percentile (p95)" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(31);

  const tokens = page.getByRole("figure", { name: "Tokens per day by persona" });
  await expect(tokens.getByRole("img")).toBeVisible();
  await expect(tokens.getByText(/the most by Chief Financial Officer/)).toBeVisible();
  await expect(tokens.getByRole("list", { name: "Legend" }).getByText("Chief Financial Officer")).toBeVisible();
  await page.getByRole("button", { name: "By model" }).click();
  await expect(page.getByRole("figure", { name: "Tokens per day by model" })).toBeVisible();
  await expect(page.getByRole("button", { name: "By model" })).toHaveAttribute("aria-pressed", "true");
  await expectAccessible(page);
});

test("a member is refused the usage page and the procedure", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/usage`);
  await expect(page.getByRole("heading", { level: 1, name: "Usage and reliability" })).toBeVisible();
  await expect(page.getByText("Only owners and admins can see the workspace's usage and reliability.")).toBeVisible();
  await expect(page.getByRole("figure")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Usage", exact: true })).toHaveCount(0);
  expect((await trpc.query(page.request, "usage.get", { tenantSlug: DEMO_TENANT.slug })).status()).toBe(403);
  expect((await trpc.query(page.request, "admin.ops.slos")).status()).toBe(403);
  await expectAccessible(page);
});
