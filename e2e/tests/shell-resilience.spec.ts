import { expect, test, type Page } from "@playwright/test";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

// Issue 15, route resilience: a missing record or a failing page is answered
// inside the shell (the header's navigation and the section's tabs stay), in
// the visitor's language; completed actions announce themselves in a toast;
// the key pages fit a 360 px phone; the app has its icons.

test.use(perFileClientIp());

const slug = DEMO_TENANT.slug;
const mainNav = (page: Page, locale: "en" | "es" = "en") => page.getByRole("navigation", { name: locale === "en" ? "Main" : "Principal" });
const workspaceTabs = (page: Page, locale: "en" | "es" = "en") => page.getByRole("navigation", { name: locale === "en" ? "Workspace" : "Espacio de trabajo" });

test.describe("not found inside the shell", () => {
  test("an unknown record in a workspace keeps the shell and the workspace tabs (en)", async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    await page.goto(`/en/t/${slug}/meetings/cl0000000000000000000000`);
    await expect(page.getByRole("heading", { level: 1, name: "Not found in this workspace" })).toBeVisible();
    await expect(mainNav(page)).toBeVisible();
    await expect(workspaceTabs(page)).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to your workspaces" })).toBeVisible();
    await expectAccessible(page);
  });

  test("an unknown page in a workspace is localised (es)", async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    await page.goto(`/es/t/${slug}/no-such-page`);
    await expect(page.getByRole("heading", { level: 1, name: "No encontrado en este espacio de trabajo" })).toBeVisible();
    await expect(mainNav(page, "es")).toBeVisible();
    await expect(workspaceTabs(page, "es")).toBeVisible();
    await expect(page.getByRole("link", { name: "Volver a tus espacios de trabajo" })).toBeVisible();
    await expectAccessible(page);
  });

  test("an unknown workspace answers 404 inside the shell, without tabs into it", async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    const res = await page.goto("/en/t/no-such-workspace/meetings");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(mainNav(page)).toBeVisible();
    await expect(workspaceTabs(page)).toHaveCount(0);
    await expectAccessible(page);
  });

  test("an unknown id in the admin panel keeps the admin navigation", async ({ page }) => {
    await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
    await page.goto("/en/admin/users/cl0000000000000000000000");
    await expect(page.getByRole("heading", { level: 1, name: "Not found in the admin panel" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin sections" })).toBeVisible();
    await expect(mainNav(page)).toBeVisible();
  });
});

test.describe("error boundary inside the shell", () => {
  // The e2e server's test seam (E2E_PAGE_FAULTS, src/lib/server-pages/injected-fault.ts):
  // with this header a workspace page fails as a real bug would.
  const FAULT = { "x-ocsuite-e2e-fault": "page" };

  test("a failing workspace page keeps the shell, focuses the message, shows a reference, and recovers on retry", async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    await page.setExtraHTTPHeaders(FAULT);
    await page.goto(`/en/t/${slug}/meetings`);
    const heading = page.getByRole("heading", { level: 1, name: "Something went wrong" });
    await expect(heading).toBeVisible();
    await expect(heading).toBeFocused();
    await expect(page.getByText(/^Reference: \S+/)).toBeVisible();
    await expect(mainNav(page)).toBeVisible();
    await expect(workspaceTabs(page)).toBeVisible();
    await expectAccessible(page);

    // The fault is gone: "Try again" renders the page again, in place.
    await page.setExtraHTTPHeaders({});
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Board meetings" })).toBeVisible();
    await expect(heading).toHaveCount(0);
  });

  test("the error message is localised (es)", async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    await page.setExtraHTTPHeaders(FAULT);
    await page.goto(`/es/t/${slug}/tasks`);
    await expect(page.getByRole("heading", { level: 1, name: "Algo ha salido mal" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Reintentar" })).toBeVisible();
    await expect(workspaceTabs(page, "es")).toBeVisible();
    await expectAccessible(page);
  });
});

test("a completed action is announced in a dismissible toast that does not take focus", async ({ page }) => {
  await signInWithApi(page.request, demo("OWNER"));
  await page.goto(`/en/t/${slug}/members`);
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByLabel("Invitation link")).toBeVisible();
  await page.reload();
  const revoke = page.getByRole("button", { name: /^Revoke invitation for/ }).first();
  await revoke.click();
  const region = page.getByTestId("toast-region");
  await expect(region).toHaveAttribute("aria-live", "polite");
  await expect(region.getByText("Invitation revoked.")).toBeVisible();
  // The toast does not move focus into itself.
  expect(await page.evaluate(() => document.activeElement?.closest("[data-testid=toast]") ?? null)).toBeNull();
  await region.getByRole("button", { name: "Dismiss notification" }).click();
  await expect(region.getByText("Invitation revoked.")).toHaveCount(0);
});

test.describe("a 360 px wide phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  const noHorizontalScroll = async (page: Page, path: string) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    expect(scroll, `${path} scrolls sideways (${scroll} px content in a ${width} px window)`).toBeLessThanOrEqual(width);
  };

  test("public pages do not scroll sideways", async ({ page }) => {
    for (const path of ["/en", "/en/sign-in", "/es/sign-up"]) await noHorizontalScroll(page, path);
  });

  test("workspace pages do not scroll sideways", async ({ page }) => {
    await signInWithApi(page.request, demo("OWNER"));
    for (const path of ["/en/workspaces", `/en/t/${slug}`, `/en/t/${slug}/chat`, `/en/t/${slug}/knowledge`, `/en/t/${slug}/meetings`, `/en/t/${slug}/tasks`, `/en/t/${slug}/members`, `/en/t/${slug}/settings`, `/en/t/${slug}/audit`, "/es/account"]) {
      await noHorizontalScroll(page, path);
    }
  });

  test("admin pages do not scroll sideways", async ({ page }) => {
    await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
    for (const path of ["/en/admin", "/en/admin/users", "/en/admin/jobs", "/en/admin/usage"]) await noHorizontalScroll(page, path);
  });
});

test("the favicon, app icons and manifest are served and linked", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect((await request.get("/apple-icon.png")).headers()["content-type"]).toContain("image/png");
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  expect(((await manifest.json()) as { name: string }).name).toBe("OC Suite");
  await page.goto("/en/sign-in");
  await expect(page.locator('link[rel="icon"][type="image/svg+xml"]')).toHaveCount(1);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveCount(1);
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);
});
