import { expect, test, type Page } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { expectAccessible, perFileClientIp } from "../support/fixtures";

test.use(perFileClientIp());

// A board meeting in the browser on the offline model, run by the local
// Inngest executor of `npm start`: create (after two refused attempts that keep
// the text) → live progress → completed → decisions and positions → an action
// item becomes a task → the task runs plan/research/draft/review → accepted.

const CFO = "Chief Financial Officer";
const CTO = "Chief Technology Officer";
const COUNSEL = "General Counsel";
const RUN_TIMEOUT = 120_000;
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const TITLE = "Q3 pricing review";
const GOAL = "Decide whether to raise list prices in the third quarter and what it means for cash and contracts.";
const ITEMS = ["Raise list prices by 5% in Q3", "Renegotiate the three largest supplier contracts"];

const participant = (page: Page, name: string) => page.getByRole("checkbox", { name: new RegExp(name) });
const submit = (page: Page) => page.getByRole("button", { name: "Start meeting" });

test("run a meeting, read its decisions, turn an action item into a task, accept the deliverable", { tag: "@critical" }, async ({ page }) => {
  test.setTimeout(300_000);
  await signUpAndSignIn(page.request, "boardroom", "Bea Board");
  const ws = await createWorkspace(page.request, `Boardroom ${unique()}`);

  await page.goto(`/en/t/${ws.slug}/meetings`);
  await expect(page.getByRole("heading", { level: 1, name: "Board meetings" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Meetings", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("No meetings yet.", { exact: false })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "New meeting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New board meeting" })).toBeVisible();

  // Bad input 1: no participants. The error is shown next to the field; nothing typed is lost.
  await page.getByLabel("Title", { exact: true }).fill(TITLE);
  await page.getByLabel("Goal", { exact: true }).fill(GOAL);
  await page.getByLabel("Item 1", { exact: true }).fill(ITEMS[0]!);
  await page.getByRole("button", { name: "Add agenda item" }).click();
  await expect(page.getByLabel("Item 2", { exact: true })).toBeFocused();
  await page.keyboard.type(ITEMS[1]!);
  await submit(page).click();
  await expect(page.getByTestId("meeting-personaKeys-error")).toHaveText("Choose at least one participant among the enabled executives.");
  await expect(page.getByRole("alert").filter({ hasText: "The meeting was not created." })).toBeVisible();
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(TITLE);
  await expect(page.getByLabel("Goal", { exact: true })).toHaveValue(GOAL);
  await expect(page.getByLabel("Item 2", { exact: true })).toHaveValue(ITEMS[1]!);
  await expect(page).toHaveURL(/\/meetings\/new$/);
  await expectAccessible(page);

  // Bad input 2: an empty agenda (both rows cleared). The server's reason is shown; the rest is kept.
  for (const name of [CFO, CTO, COUNSEL]) await participant(page, name).check();
  await page.getByLabel("Item 1", { exact: true }).fill("");
  await page.getByLabel("Item 2", { exact: true }).fill("   ");
  await submit(page).click();
  await expect(page.getByTestId("meeting-agenda-error")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "The agenda is empty. Add at least one item with text." })).toBeVisible();
  await expect(page.getByTestId("meeting-personaKeys-error")).toHaveCount(0);
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(TITLE);
  await expect(participant(page, CTO)).toBeChecked();

  // A valid meeting: two items, three participants, the CFO chairs, one round.
  await page.getByLabel("Item 1", { exact: true }).fill(ITEMS[0]!);
  await page.getByLabel("Item 2", { exact: true }).fill(ITEMS[1]!);
  await page.getByLabel("Chair", { exact: true }).selectOption({ label: CFO });
  await expect(page.getByLabel("Rounds per item")).toHaveValue("1");
  await submit(page).click();
  await expect(page).toHaveURL(/\/meetings\/[^/]+$/);
  const view = page.getByTestId("meeting-view");
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(view).toHaveAttribute("data-status", "completed", { timeout: RUN_TIMEOUT });
  await expect(page.getByTestId("meeting-progress")).toHaveText("6 / 6 turns · 2 / 2 items closed");
  await expect(page.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuenow", "8");
  await expect(view).toContainText(GOAL);
  await expect(page.getByTestId("meeting-status")).toHaveText("Completed");

  // Per item: three turns (one round), then the outcome with a decision and everyone's position.
  const items = page.getByTestId("agenda-item");
  await expect(items).toHaveCount(2);
  for (const [i, text] of ITEMS.entries()) {
    const item = items.nth(i);
    await expect(item.getByRole("heading", { level: 2 })).toHaveText(`Item ${i + 1}: ${text}`);
    await expect(item.getByRole("heading", { level: 3, name: "Round 1" })).toBeVisible();
    await expect(item.getByTestId("meeting-turn")).toHaveCount(3);
    await expect(item.getByTestId("meeting-decision")).not.toBeEmpty();
    const positions = item.getByRole("table", { name: `Positions on item ${i + 1}` });
    await expect(positions.getByTestId("position-row")).toHaveCount(3);
    for (const name of [CFO, CTO, COUNSEL]) await expect(positions).toContainText(name);
  }
  await expect(items.first().getByTestId("meeting-turn").first()).toContainText(CFO);
  await expectAccessible(page);

  // Minutes download as a Markdown file.
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export minutes (Markdown)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.md$/);

  // An action item becomes a task; the button turns into a link to it.
  const action = page.getByTestId("action-item").first();
  await expect(action).toContainText(/Owner: /);
  await action.getByRole("button", { name: /^Create a task from/ }).click();
  const viewTask = action.getByRole("link", { name: /^View the task for/ });
  await expect(viewTask).toBeVisible();
  await viewTask.click();
  await expect(page).toHaveURL(/\/tasks\/[^/]+$/);

  // The task runs its four steps and waits for review.
  const task = page.getByTestId("task-view");
  await expect(task).toHaveAttribute("data-status", "needs_review", { timeout: RUN_TIMEOUT });
  await expect(page.getByTestId("task-status")).toHaveText("Needs review");
  for (const step of ["plan", "research", "draft", "review"]) {
    await expect(page.locator(`[data-testid="task-step"][data-step="${step}"]`)).toHaveAttribute("data-status", "complete");
  }
  await expect(page.getByTestId("task-deliverable")).not.toBeEmpty();
  await expect(page.getByText("Created from a meeting's action item.")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Accept", exact: true }).click();
  await expect(task).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("task-status")).toHaveText("Done");
  await expect(page.getByTestId("task-announcements")).toContainText("Task done.");

  // The tasks list shows it done; the meeting's action item now links to it.
  await page.getByRole("link", { name: "Tasks", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tasks" })).toBeVisible();
  const row = page.getByTestId("task-row").first();
  await expect(row.getByTestId("task-status")).toHaveText("Done");
  await expectAccessible(page);
});

test("a task by hand: refused without a title (text kept), then created and visible in the list", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpAndSignIn(page.request, "boardroom-task", "Tom Task");
  const ws = await createWorkspace(page.request, `Tasks ${unique()}`);
  await page.goto(`/en/t/${ws.slug}/tasks/new`);
  await expect(page.getByRole("heading", { level: 1, name: "New task" })).toBeVisible();
  await page.getByLabel("Executive", { exact: true }).selectOption({ label: CTO });
  const description = "List the three biggest risks in our cloud bill and how to cut each.";
  await page.getByLabel("Description", { exact: true }).fill(description);
  await page.getByRole("button", { name: "Create task" }).click();
  await expect(page.getByTestId("task-title-error")).toBeVisible();
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue(description);
  await expectAccessible(page);

  await page.getByLabel("Title", { exact: true }).fill("Cloud cost risks");
  await page.getByRole("button", { name: "Create task" }).click();
  await expect(page).toHaveURL(/\/tasks\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Cloud cost risks" })).toBeVisible();
  await expect(page.getByTestId("task-view")).toHaveAttribute("data-status", "needs_review", { timeout: RUN_TIMEOUT });
  await expect(page.getByTestId("task-announcements")).toContainText("The deliverable is ready for your review.");

  await page.goto(`/en/t/${ws.slug}/tasks`);
  await expect(page.getByTestId("task-row").filter({ hasText: "Cloud cost risks" })).toContainText(CTO);
});
