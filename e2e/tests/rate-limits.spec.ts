import { expect, test, type APIRequestContext } from "@playwright/test";
import { createWorkspace, signUpAndSignIn, TEST_PASSWORD } from "../support/accounts";
import { E2E_SIGNIN_ACCOUNT_LIMIT } from "../support/env.mjs";
import { perFileClientIp, signInWithForm } from "../support/fixtures";

/*
 * Rate limiting as a person meets it (the critical-flow suite, docs/testing.md): api.spec.ts
 * proves the 429s and Retry-After over HTTP; here the same limits are reached and the pages must
 * say what happened and how long to wait, and keep what was typed. Everything is real: the
 * app's limiter (Redis when the e2e server has it, else Postgres) and its default chat limit.
 */
test.use(perFileClientIp());

const CFO = "Chief Financial Officer";
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

test("the sign-in form: past the per-account limit it says how long to wait, and even the right password waits", { tag: "@critical" }, async ({ page, request }) => {
  // A real, confirmed account, created in another context so the page starts signed out.
  const email = await signUpAndSignIn(request, "locked-ui", "Lola Locked");

  for (let i = 0; i < E2E_SIGNIN_ACCOUNT_LIMIT; i++) {
    await signInWithForm(page, email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: /invalid email or password/i })).toBeVisible();
  }
  await signInWithForm(page, email, "not-the-password");
  const refusal = page.getByRole("alert").filter({ hasText: /Too many attempts\. Try again in \d+ (second|seconds)\./ });
  await expect(refusal).toBeVisible();

  // Locked means locked: the right password is refused the same way, and nothing signs in.
  await signInWithForm(page, email, TEST_PASSWORD);
  await expect(refusal).toBeVisible();
  await expect(page).toHaveURL(/\/en\/sign-in/);
  await page.goto("/en/workspaces");
  await expect(page).toHaveURL(/\/en\/sign-in/);
});

/**
 * Uses up the signed-in user's chat allowance for the current window with requests the route
 * counts and then refuses as invalid (nothing is written), and returns the seconds left. The
 * windows are fixed (a minute for chat), so when fewer than 20 s remain it waits for the next one
 * and starts again: the page must still be inside the window when it sends.
 */
const exhaustChatLimit = async (request: APIRequestContext, slug: string): Promise<number> => {
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 1000; i++) {
      const res = await request.post(`/api/t/${slug}/chat`, { data: {} });
      if (res.status() === 429) {
        const wait = Number(res.headers()["retry-after"]);
        expect(wait).toBeGreaterThan(0);
        if (wait >= 20) return wait;
        await new Promise((r) => setTimeout(r, (wait + 1) * 1000));
        break;
      }
      expect(res.status(), "below the limit the empty body is refused as invalid, not run").toBe(400);
    }
  }
  throw new Error("the chat limit was never reached");
};

test("chat: over the per-user message limit the page says to wait and keeps the text in the box", { tag: "@critical" }, async ({ page }) => {
  test.setTimeout(120_000);
  await signUpAndSignIn(page.request, "limited-chat", "Rita Rapid");
  const ws = await createWorkspace(page.request, `Rate limits ${unique()}`);
  await exhaustChatLimit(page.request, ws.slug);

  await page.goto(`/en/t/${ws.slug}/chat`);
  await page.getByRole("radio", { name: new RegExp(CFO) }).check();
  const composer = page.getByLabel(`Message to the ${CFO}`);
  await composer.fill("One more question, quickly?");
  await composer.press("Enter");

  const refusal = page.getByRole("alert").filter({ hasText: "Your text is still in the box." });
  await expect(refusal).toContainText(/You are sending messages too fast\. Try again in \d+ (second|seconds)\./);
  await expect(composer).toHaveValue("One more question, quickly?");
  await expect(page.getByTestId("assistant-message")).toHaveCount(0);
});
