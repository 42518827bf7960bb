import { expect, test, type Page } from "@playwright/test";
import { startMockOpenAI, type MockOpenAI } from "../../tests/support/mock-openai-server";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi, trpc } from "../support/fixtures";

test.use(perFileClientIp());

const CFO = "Chief Financial Officer";
const ANSWER_TIMEOUT = 30_000;

const composer = (page: Page, name = CFO) => page.getByLabel(`Message to the ${name}`);
const conversationList = (page: Page) => page.getByRole("navigation", { name: "Your conversations" });
const lastAnswer = (page: Page) => page.getByTestId("assistant-message").last();
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** A fresh owner with a workspace whose only provider is the mock (OpenAI-compatible). */
const workspaceWithMock = async (page: Page, mock: MockOpenAI) => {
  await signUpAndSignIn(page.request, "chat", "Chloe Chat");
  const ws = await createWorkspace(page.request, `Chat ${unique()}`);
  const res = await trpc.mutation(page.request, "provider.create", {
    tenantSlug: ws.slug,
    provider: "openai-compatible",
    label: "Mock LLM",
    apiKey: "sk-mock-0123456789",
    baseUrl: mock.url,
    defaultModel: "mock-model",
  });
  // A 4xx naming a blocked address means the outbound guard refused 127.0.0.1:
  // e2e/support/serve.mjs must set OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS.
  expect(res.status(), await res.text()).toBe(200);
  return ws;
};

const startChatWithCfo = async (page: Page, slug: string, question: string) => {
  await page.goto(`/en/t/${slug}/chat`);
  await page.getByRole("radio", { name: new RegExp(CFO) }).check();
  await composer(page).fill(question);
  await composer(page).press("Enter");
};

test("a member chats with the CFO on the offline model: stream, badge, tokens, list, rename, search, reload, delete", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  const word = `zebra${unique()}`;
  const question = `How long is our cash runway? (${word})`;

  await page.goto(`/en/t/${DEMO_TENANT.slug}/chat`);
  await expect(page.getByRole("heading", { level: 1, name: "Chat" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Chat", exact: true })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page);

  const cfo = page.getByRole("radio", { name: new RegExp(CFO) });
  await cfo.check();
  // The offline model is labelled as such before anything is sent.
  await expect(page.locator("label", { has: cfo }).getByText("Offline model")).toBeVisible();
  await composer(page).fill(question);
  await composer(page).press("Enter");

  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
  await expect(answer).toContainText("Let's look at the numbers");
  await expect(answer).toContainText("built-in offline model");
  await expect(answer.getByText("Offline model", { exact: true })).toBeVisible();
  await expect(answer.getByText(/^\d+ in · \d+ out$/)).toBeVisible();
  await expect(page.getByTestId("user-message")).toContainText(question);
  await expect(page.getByTestId("conversation-tokens")).toHaveText(/[1-9]\d* in · [1-9]\d* out/);
  await expect(page.getByTestId("chat-live")).toContainText(`The ${CFO} answered:`);
  // Focus stays in the box, which is empty again (the message was saved).
  await expect(composer(page)).toBeFocused();
  await expect(composer(page)).toHaveValue("");
  // The address is the conversation's, and the list shows it as the current one.
  await expect(page).toHaveURL(/\/en\/t\/acme\/chat\/[^/]+$/);
  const conversationUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(question);
  await expect(conversationList(page).getByRole("link", { name: new RegExp(word) })).toHaveAttribute("aria-current", "page");

  // Rename: the dialog returns focus to its button.
  const renamed = `Runway review ${unique()}`;
  const renameButton = page.getByRole("button", { name: `Rename “${question}”` });
  await renameButton.click();
  await page.getByRole("dialog").getByLabel("Title").fill(renamed);
  await page.getByRole("dialog").getByLabel("Title").press("Enter");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
  await expect(page.getByRole("button", { name: `Rename “${renamed}”` })).toBeFocused();
  await expect(conversationList(page).getByRole("link", { name: new RegExp(renamed) })).toBeVisible();

  // Search by content: the word is only in the message now, not in the title.
  const search = page.getByLabel("Search conversations");
  await search.fill(word);
  await expect(conversationList(page).getByRole("link", { name: new RegExp(renamed) })).toBeVisible();
  await expect(conversationList(page).getByRole("link")).toHaveCount(2); // "New chat" + the match
  await search.fill(`nothing-${unique()}`);
  await expect(conversationList(page).getByText(/No conversation matches/)).toBeVisible();
  await search.fill("");

  // Reload: everything came from the database.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
  await expect(page.getByTestId("user-message")).toContainText(question);
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "complete");
  await expect(lastAnswer(page).getByText("Offline model", { exact: true })).toBeVisible();
  await expect(lastAnswer(page).getByText(/^\d+ in · \d+ out$/)).toBeVisible();
  await expect(page.getByTestId("conversation-tokens")).toHaveText(/[1-9]\d* in · [1-9]\d* out/);
  await expectAccessible(page);

  // Delete, after confirming.
  await page.getByRole("button", { name: `Delete “${renamed}”` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete conversation" }).click();
  await expect(page).toHaveURL(/\/en\/t\/acme\/chat$/);
  await expect(conversationList(page).getByRole("link", { name: new RegExp(renamed) })).toHaveCount(0);
  const gone = await page.goto(conversationUrl);
  expect(gone?.status()).toBe(404);
});

test("keyboard only: pick the CFO with arrow keys, Shift+Enter for a new line, Enter sends", async ({ page }) => {
  await signInWithApi(page.request, demo("MEMBER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/chat`);
  await expect(page.getByRole("heading", { level: 1, name: "Chat" })).toBeVisible();

  const tabTo = async (target: ReturnType<Page["getByRole"]>, max = 80) => {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press("Tab");
    }
    throw new Error("focus never reached the target by Tab");
  };
  await tabTo(page.getByRole("radio", { checked: true }));
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: new RegExp(CFO) })).toBeChecked();
  await tabTo(page.getByRole("textbox", { name: `Message to the ${CFO}` }));

  const word = `kbd${unique()}`;
  await page.keyboard.type(`First line ${word}`);
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("second line");
  await expect(composer(page)).toHaveValue(`First line ${word}\nsecond line`);
  await page.keyboard.press("Enter");

  await expect(lastAnswer(page)).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
  await expect(page.getByTestId("user-message")).toContainText("second line");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`First line ${word}`);
  await expect(composer(page)).toBeFocused();

  // Regenerate by keyboard replaces the answer (a new one, still only one).
  const firstId = await lastAnswer(page).getAttribute("data-message-id");
  await page.getByRole("button", { name: "Regenerate" }).focus();
  await page.keyboard.press("Enter");
  await expect(lastAnswer(page)).not.toHaveAttribute("data-message-id", firstId!, { timeout: ANSWER_TIMEOUT });
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
  await expect(page.getByTestId("assistant-message")).toHaveCount(1);

  // "New chat" starts over on the same page; the list leads back to the conversation.
  await conversationList(page).getByRole("link", { name: "New chat" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("heading", { level: 1, name: "Chat" })).toBeVisible();
  await expect(page.getByTestId("assistant-message")).toHaveCount(0);
  await conversationList(page).getByRole("link", { name: new RegExp(word) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`First line ${word}`);
  await expect(page.getByTestId("assistant-message")).toHaveCount(1);

  // Clean up this conversation so the demo member's list stays short.
  await page.getByRole("button", { name: /^Delete “/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete conversation" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("radio", { name: new RegExp(CFO) })).toBeVisible();
});

test("a viewer is told chat needs the member role, and the chat route refuses them", async ({ page }) => {
  await signInWithApi(page.request, demo("VIEWER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/chat`);
  await expect(page.getByRole("heading", { level: 1, name: "Chat is for members" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: /Message to/ })).toHaveCount(0);
  await expectAccessible(page);
  const res = await page.request.post(`/api/t/${DEMO_TENANT.slug}/chat`, { data: { action: "send", personaKey: "cfo", content: "Hello?" } });
  expect(res.status()).toBe(403);
});

test.describe("with a provider (mock OpenAI-compatible server)", () => {
  let mock: MockOpenAI;
  test.beforeAll(async () => {
    mock = await startMockOpenAI();
  });
  test.afterAll(async () => {
    await mock.close();
  });
  test.beforeEach(() => {
    mock.setBehaviour({ reply: "Hello from the mock model.", chunkDelayMs: 0, timeToFirstTokenMs: 0, dropAfterChunks: null, fail500: false, failWithStatus: null, rateLimitFirst: 0 });
  });

  test("the CFO answers with the provider's text and the model's name", { tag: "@critical" }, async ({ page }) => {
    const ws = await workspaceWithMock(page, mock);
    mock.setBehaviour({ reply: "Cash runway is **18 months** at the current burn.", usage: { prompt_tokens: 42, completion_tokens: 9 } });
    await page.goto(`/en/t/${ws.slug}/chat`);
    await expect(page.locator("label", { has: page.getByRole("radio", { name: new RegExp(CFO) }) })).toContainText("Model: mock-model");
    await startChatWithCfo(page, ws.slug, "What is our runway?");

    const answer = lastAnswer(page);
    await expect(answer).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
    await expect(answer).toContainText("Cash runway is 18 months at the current burn.");
    await expect(answer.locator("strong")).toHaveText("18 months");
    await expect(answer.getByText("Model: mock-model")).toBeVisible();
    await expect(answer.getByText("Offline model")).toHaveCount(0);
    await expect(answer.getByText("42 in · 9 out")).toBeVisible();
    await expect(page.getByTestId("conversation-tokens")).toContainText("Conversation total: 42 in · 9 out");

    // The provider really was asked: the CFO's system prompt and the question.
    const call = mock.requests.filter((r) => r.path === "/v1/chat/completions").at(-1);
    const body = call?.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe("mock-model");
    expect(body.messages.some((m) => m.role === "system" && m.content.includes(CFO))).toBe(true);
    expect(body.messages.at(-1)?.role).toBe("user");
    expect(JSON.stringify(body.messages.at(-1))).toContain("What is our runway?");
    await expectAccessible(page);
  });

  test("a provider failure mid-stream keeps the partial answer as failed; Retry completes it", { tag: "@critical" }, async ({ page }) => {
    const ws = await workspaceWithMock(page, mock);
    mock.setBehaviour({ reply: "Partial words arrive first and then the connection drops", dropAfterChunks: 3, chunkDelayMs: 30 });
    const question = "Should we raise prices this quarter?";
    await startChatWithCfo(page, ws.slug, question);

    const answer = lastAnswer(page);
    await expect(answer).toHaveAttribute("data-status", "failed", { timeout: ANSWER_TIMEOUT });
    await expect(answer).toContainText("Partial words arrive");
    await expect(answer.getByTestId("failure-reason")).toHaveText(
      "This answer failed: The connection to the AI provider broke off mid-answer. What arrived is kept; press Retry for a complete answer.",
    );
    await expect(page.getByTestId("chat-live")).toContainText("Answer failed.");
    await expect(page.getByTestId("user-message")).toHaveText(new RegExp(question.replace("?", "\\?")));

    // Still failed after a reload: it was saved that way, and the question too.
    await page.reload();
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "failed");
    await expect(lastAnswer(page)).toContainText("Partial words arrive");
    await expect(page.getByTestId("user-message")).toContainText(question);

    mock.setBehaviour({ reply: "A complete answer after the retry.", dropAfterChunks: null, chunkDelayMs: 0 });
    await lastAnswer(page).getByRole("button", { name: "Retry" }).click();
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
    await expect(lastAnswer(page)).toContainText("A complete answer after the retry.");
    await expect(composer(page)).toBeFocused();
    await expect(page.getByTestId("assistant-message")).toHaveCount(1);
    await expect(page.getByTestId("user-message")).toHaveCount(1);
  });

  test("Stop (button or Esc) during a slow stream keeps the partial answer, marked stopped", async ({ page }) => {
    const ws = await workspaceWithMock(page, mock);
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    mock.setBehaviour({ reply: words, chunkDelayMs: 80 });
    await startChatWithCfo(page, ws.slug, "Walk me through the budget slowly.");

    const answer = lastAnswer(page);
    await expect(answer).toContainText("word3", { timeout: ANSWER_TIMEOUT });
    await expect(answer).toHaveAttribute("aria-busy", "true");
    // The question is saved, so it has left the box (which stays usable for the next one).
    await expect(composer(page)).toHaveValue("");
    await expect(composer(page)).toBeEditable();
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(answer).toHaveAttribute("data-status", "stopped");
    await expect(answer.getByText("Stopped", { exact: true })).toBeVisible();
    await expect(page.getByTestId("chat-live")).toHaveText("Answer stopped.");
    await expect(answer).not.toContainText("word199");

    // The server saved it as stopped with the partial text.
    await page.reload();
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "stopped", { timeout: ANSWER_TIMEOUT });
    await expect(lastAnswer(page)).toContainText("word1");
    await expect(lastAnswer(page)).not.toContainText("word199");

    // Retry, then stop again with Escape from the message box.
    await lastAnswer(page).getByRole("button", { name: "Retry" }).click();
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "streaming", { timeout: ANSWER_TIMEOUT });
    await expect(lastAnswer(page)).toContainText("word3", { timeout: ANSWER_TIMEOUT });
    await composer(page).focus();
    await page.keyboard.press("Escape");
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "stopped");
    await expect(page.getByTestId("assistant-message")).toHaveCount(1);
  });

  test("Markdown from the model cannot inject HTML, scripts, javascript: links or images", async ({ page }) => {
    const ws = await workspaceWithMock(page, mock);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    mock.setBehaviour({
      reply: [
        'Hi <img src=x onerror="alert(1)"> there.',
        "[click me](javascript:alert(1))",
        "<script>alert(2)</script>",
        "![pixel](https://tracker.example/p.gif)",
        "[docs](https://example.com/docs)",
        "`<b>code</b>`",
      ].join("\n\n"),
    });
    await startChatWithCfo(page, ws.slug, "Show me some formatting.");

    const answer = lastAnswer(page);
    await expect(answer).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
    // The HTML is shown as text, never interpreted.
    await expect(answer).toContainText('<img src=x onerror="alert(1)">');
    await expect(answer).toContainText("<script>alert(2)</script>");
    await expect(answer.locator("img, script, b")).toHaveCount(0);
    await expect(page.locator("[onerror]")).toHaveCount(0);
    await expect(page.locator('[href^="javascript:" i]')).toHaveCount(0);
    // The javascript: link is plain text; the image is a link to its URL, never loaded.
    await expect(answer.getByText("click me")).toBeVisible();
    await expect(answer.getByRole("link", { name: "click me" })).toHaveCount(0);
    await expect(answer.getByRole("link", { name: "Image: pixel" })).toHaveAttribute("href", "https://tracker.example/p.gif");
    const docs = answer.getByRole("link", { name: "docs" });
    await expect(docs).toHaveAttribute("href", "https://example.com/docs");
    await expect(docs).toHaveAttribute("target", "_blank");
    await expect(docs).toHaveAttribute("rel", "noopener noreferrer nofollow");
    await expect(answer.locator("code")).toHaveText("<b>code</b>");

    // Same after a reload (rendered from the stored text).
    await page.reload();
    await expect(lastAnswer(page)).toContainText("<script>alert(2)</script>");
    await expect(lastAnswer(page).locator("img, script")).toHaveCount(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });

  test("a refused send keeps the text in the box and says why", async ({ page }) => {
    const ws = await workspaceWithMock(page, mock);
    // Make the CFO unusable: its provider credential is removed and replaced by
    // an OpenAI-compatible one without a model (personaModelMissing).
    const list = await trpc.query(page.request, "provider.list", { tenantSlug: ws.slug });
    const [cred] = (await list.json()).result.data.json as { id: string }[];
    expect((await trpc.mutation(page.request, "provider.delete", { tenantSlug: ws.slug, id: cred!.id })).status()).toBe(200);
    const created = await trpc.mutation(page.request, "provider.create", {
      tenantSlug: ws.slug,
      provider: "openai-compatible",
      label: "No model",
      apiKey: "sk-mock-0123456789",
      baseUrl: mock.url,
    });
    expect(created.status(), await created.text()).toBe(200);

    await startChatWithCfo(page, ws.slug, "Is this kept if it fails?");
    const refusal = page.getByRole("alert").filter({ hasText: "Your text is still in the box." });
    await expect(refusal).toContainText("No model is chosen for this executive's provider.");
    await expect(composer(page)).toHaveValue("Is this kept if it fails?");
    await expect(page.getByTestId("assistant-message")).toHaveCount(0);
  });
});
