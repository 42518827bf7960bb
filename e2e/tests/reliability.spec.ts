import { expect, test } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
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

test("a platform admin sets a workspace's monthly token budget: its owner sees the bar on the usage page, and once it is used up a banner and a clear refusal in chat", async ({ page, browser }) => {
  test.setTimeout(90_000);
  // A fresh owner and workspace (the demo workspace's budget stays untouched for the other specs).
  const ownerContext = await browser.newContext(perFileClientIp());
  const ownerPage = await ownerContext.newPage();
  await signUpAndSignIn(ownerPage.request, "budget-owner", "Bea Budget");
  const ws = await createWorkspace(ownerPage.request, `Budget Co ${Date.now().toString(36)}`);
  // One answer on the offline model: the month's first tokens.
  const turn = await ownerPage.request.post(`/api/t/${ws.slug}/chat`, { data: { action: "send", personaKey: "cfo", content: "How is our cash position?" } });
  expect(turn.status()).toBe(200);
  await turn.body();

  await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
  await page.goto(`/en/admin?q=${ws.slug}`);
  await page.getByRole("link", { name: ws.name }).click();
  const adminBudget = page.getByRole("region", { name: "Monthly token budget", exact: true });
  await expect(adminBudget.getByTestId("admin-token-budget")).toContainText(/^No limit\. [\d,]+ tokens used in \d{4}-\d{2}/);
  const setBudget = async (tokens: string | null, reason: string) => {
    if (tokens !== null) await adminBudget.getByLabel("Tokens per month").fill(tokens);
    await adminBudget.getByLabel("Reason").fill(reason);
    await adminBudget.getByRole("button", { name: tokens === null ? "Remove limit" : "Set budget" }).click();
    await expect(adminBudget.getByRole("status")).toHaveText(tokens === null ? "Limit removed." : "Budget saved.");
  };
  await setBudget("1000000", "E2E: trial plan limit");
  await expect(adminBudget.getByTestId("admin-token-budget")).toContainText("of 1,000,000 tokens used in");
  await expectAccessible(page);

  // The owner's usage page: this month against the budget, as a bar and as text, with the reset date.
  await ownerPage.goto(`/en/t/${ws.slug}/usage`);
  const budget = ownerPage.getByRole("region", { name: "Monthly token budget", exact: true });
  const bar = budget.getByRole("progressbar", { name: "Tokens used this month" });
  await expect(bar).toHaveAttribute("aria-valuemax", "1000000");
  await expect(bar).toHaveAttribute("aria-valuetext", /^[\d,]+ of 1,000,000 tokens \(\d+%\)$/);
  expect(Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
  await expect(budget.getByText(/^The budget resets on \w+ 1, \d{4} \(UTC\)\.$/)).toBeVisible();
  await expect(ownerPage.getByTestId("token-budget-exhausted")).toHaveCount(0);
  await expectAccessible(ownerPage);

  // Lowered under what was used: the budget is used up.
  await setBudget("1", "E2E: usage freeze");
  await expect(adminBudget.getByText("Used up")).toBeVisible();
  await ownerPage.reload();
  await expect(ownerPage.getByRole("region", { name: "Token budget", exact: true })).toContainText("This workspace has used its monthly AI token budget");
  await expect(budget.getByText(/^The budget is used up: chat answers, meeting turns and task steps are refused until it resets on/)).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuenow", "1");
  await expectAccessible(ownerPage);

  // Chat refuses before anything is saved, says why, and keeps the question in the box.
  await ownerPage.goto(`/en/t/${ws.slug}/chat`);
  await ownerPage.getByRole("radio", { name: /Chief Financial Officer/ }).check();
  const composer = ownerPage.getByLabel("Message to the Chief Financial Officer");
  await composer.fill("Can we still ask?");
  await composer.press("Enter");
  const refusal = ownerPage.getByRole("alert").filter({ hasText: "Your text is still in the box." });
  await expect(refusal).toContainText("This workspace has used its monthly AI token budget, so the executives cannot answer until it resets on");
  await expect(composer).toHaveValue("Can we still ask?");

  // The limit removed: the banner is gone.
  await setBudget(null, "E2E: upgraded");
  await ownerPage.goto(`/en/t/${ws.slug}/usage`);
  await expect(ownerPage.getByTestId("token-budget-exhausted")).toHaveCount(0);
  await expect(budget.getByText(/^No monthly limit is set for this workspace\./)).toBeVisible();
  await ownerContext.close();
});
