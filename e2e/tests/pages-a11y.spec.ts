import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, perFileClientIp, signInWithApi, trpc } from "../support/fixtures";

test.use(perFileClientIp());

/*
 * Every page a user can open, checked by two independent engines in both
 * locales and both colour schemes (docs/accessibility-report.md):
 *  - axe: every WCAG 2.0/2.1/2.2 A and AA rule at any impact (the shared
 *    expectAccessible keeps only serious/critical), plus the landmark rules
 *    (unique names, one main) that axe files under best practice, and
 *  - HTML_CodeSniffer (the engine behind pa11y), WCAG2AA, every error.
 * Findings are soft assertions, so one run lists every page's findings.
 * One test per page signs in once and loops en/es × light/dark as steps: the
 * scheme changes in place (a media query, no reload), the locale with one
 * navigation, so each page costs two loads, not four.
 */

type Role = "OWNER" | "PLATFORM_ADMIN";
type Scheme = "light" | "dark";
type Locale = "en" | "es";

// ---- Sessions: one sign-in per role for the whole file ------------------------------------------
// The sign-in limit is per client IP (40 per window in e2e) and this file opens ~45 signed-in pages;
// the session cookie of the first sign-in is reused, as one person browsing would.
type Cookies = Awaited<ReturnType<ReturnType<Page["context"]>["cookies"]>>;
const sessions = new Map<string, Cookies>();

const signedInAs = async (page: Page, role: Role) => {
  const saved = sessions.get(role);
  if (saved) return page.context().addCookies(saved);
  expect((await signInWithApi(page.request, demo(role))).status()).toBe(200);
  sessions.set(role, await page.context().cookies());
};

/** A fresh owner with a workspace holding a conversation, a meeting, a task and an invitation: the detail pages. */
type Content = { slug: string; tenantId: string; conversationId: string; meetingId: string; taskId: string; inviteToken: string };
let content: Content | null = null;
const CFO = "Chief Financial Officer";

const dataOf = async <T,>(res: Awaited<ReturnType<typeof trpc.mutation>>): Promise<T> => {
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).result.data.json as T;
};

const withContent = async (page: Page): Promise<Content> => {
  if (content) {
    await page.context().addCookies(sessions.get("content")!);
    return content;
  }
  await signUpAndSignIn(page.request, "a11y-pages", "Ada Audit");
  const ws = (await createWorkspace(page.request, `A11y ${Date.now().toString(36)}`)) as { slug: string; name: string; id: string };
  const slug = ws.slug;
  // The conversation through the UI, as a person starts one (the offline model answers).
  await page.goto(`/en/t/${slug}/chat`);
  await page.getByRole("radio", { name: new RegExp(CFO) }).check();
  await page.getByLabel(`Message to the ${CFO}`).fill("What is our cash runway?");
  await page.getByLabel(`Message to the ${CFO}`).press("Enter");
  await expect(page).toHaveURL(/\/chat\/[^/]+$/);
  await expect(page.getByTestId("assistant-message").last()).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  const conversationId = /\/chat\/([^/?#]+)/.exec(page.url())![1]!;
  const meeting = await dataOf<{ id: string }>(
    await trpc.mutation(page.request, "meeting.create", {
      tenantSlug: slug,
      title: "Pricing review",
      goal: "Decide whether to raise list prices next quarter.",
      agenda: ["Raise list prices by 5%"],
      personaKeys: ["cfo"],
      chairKey: "cfo",
      rounds: 1,
    }),
  );
  const task = await dataOf<{ id: string }>(
    await trpc.mutation(page.request, "task.create", { tenantSlug: slug, personaKey: "cfo", title: "Cash runway memo", description: "A one-page memo on our cash runway." }),
  );
  const invite = await dataOf<{ link: string }>(await trpc.mutation(page.request, "invitation.create", { tenantSlug: slug, role: "MEMBER" }));
  content = { slug, tenantId: ws.id, conversationId, meetingId: meeting.id, taskId: task.id, inviteToken: invite.link.split("/invite/")[1]! };
  sessions.set("content", await page.context().cookies());
  return content;
};

// ---- axe -----------------------------------------------------------------------------------------
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const AXE_LANDMARK_RULES = ["landmark-unique", "landmark-one-main", "landmark-no-duplicate-main", "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo", "page-has-heading-one"];

const AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"];

const expectAxeClean = async (page: Page, rules: "all" | "colour") => {
  const builder = new AxeBuilder({ page });
  if (rules === "colour") builder.withRules(AXE_COLOUR_RULES);
  else builder.options({ runOnly: { type: "tag", values: AXE_TAGS }, rules: Object.fromEntries(AXE_LANDMARK_RULES.map((id) => [id, { enabled: true }])) });
  const results = await builder.analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect.soft(found, `axe on ${page.url()}`).toEqual([]);
};

// ---- HTML_CodeSniffer ----------------------------------------------------------------------------
// Injected with page.evaluate rather than addScriptTag: the app's CSP (nonces, strict-dynamic) rightly
// refuses an injected <script>, and turning CSP off would test a page no user gets.
const require = createRequire(import.meta.url);
const HTMLCS_SOURCE = readFileSync(require.resolve("html_codesniffer/build/HTMLCS.js"), "utf8");

type HtmlcsError = { code: string; target: string; msg: string };

/**
 * HTML_CodeSniffer errors we judged false positives, each with its rule, where it applies and why.
 * Everything else it reports as an error fails the test. Real findings were fixed in the components
 * (docs/accessibility-report.md, "Second engine").
 */
const HTMLCS_ALLOWED: { code: RegExp; target: RegExp; why: string }[] = [
  {
    code: /\.1_3_5\.H98$/,
    // describe() lists a type attribute when there is one: this matches inputs written without it.
    target: /^input(?!.*\[type=)/,
    why: "an <input> without a type attribute is a text input (HTML's default), but H98 only accepts autocomplete=name/organization on one with type=\"text\" written out",
  },
];

/**
 * HTML_CodeSniffer 2.5.1 throws instead of reporting any H98 (autocomplete) error: its code asks
 * for "…InvalidAutoComplete_…" messages, its translations are spelt "…InvalidAutocomplete_…". The
 * aliases let it report the finding, which the allow-list above then judges.
 */
const HTMLCS_PATCH = `(() => {
  for (const messages of Object.values(window.translation ?? {}))
    for (const key of Object.keys(messages))
      if (key.includes("InvalidAutocomplete_")) messages[key.replace("InvalidAutocomplete_", "InvalidAutoComplete_")] = messages[key];
})()`;

const runHtmlcs = async (page: Page): Promise<HtmlcsError[]> => {
  if (!(await page.evaluate(() => "HTMLCS" in window))) {
    await page.evaluate(HTMLCS_SOURCE);
    await page.evaluate(HTMLCS_PATCH);
  }
  return page.evaluate(
    () =>
      new Promise<HtmlcsError[]>((resolve, reject) => {
        type Msg = { type: number; code: string; msg: string; element: Element | Document };
        const htmlcs = (window as unknown as { HTMLCS: { process: (...a: unknown[]) => void; getMessages: () => Msg[] } }).HTMLCS;
        // A short, readable locator for a report line: tag, id, name, role, label, then the text.
        const describe = (el: Element | Document) => {
          if (!(el instanceof Element)) return "document";
          const attrs = ["id", "name", "role", "aria-label", "type", "href"]
            .map((a) => (el.hasAttribute(a) ? `[${a}="${el.getAttribute(a)!.slice(0, 60)}"]` : ""))
            .join("");
          const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
          return `${el.tagName.toLowerCase()}${attrs}${text ? ` “${text}”` : ""}`;
        };
        htmlcs.process(
          "WCAG2AA",
          document,
          () => resolve(htmlcs.getMessages().filter((m) => m.type === 1).map((m) => ({ code: m.code, target: describe(m.element), msg: m.msg }))),
          () => reject(new Error("HTML_CodeSniffer could not load WCAG2AA")),
          "en",
        );
      }),
  );
};

const expectHtmlcsClean = async (page: Page) => {
  const errors = await runHtmlcs(page);
  const allowed = (e: HtmlcsError) => HTMLCS_ALLOWED.find((a) => a.code.test(e.code) && a.target.test(e.target));
  // Allowed findings stay visible in the report, with their verdict.
  for (const e of errors.filter(allowed)) test.info().annotations.push({ type: "HTML_CodeSniffer, judged a false positive", description: `${page.url()} ${e.code} ${e.target}: ${allowed(e)!.why}` });
  const left = errors.filter((e) => !allowed(e));
  expect.soft(left.map((e) => `${e.code} — ${e.target} — ${e.msg}`), `HTML_CodeSniffer WCAG2AA on ${page.url()}`).toEqual([]);
};

// ---- The pages -----------------------------------------------------------------------------------
type PageCase = {
  /** The route, for the test's title when `path` is computed. */
  name?: string;
  /** The path without the locale prefix, or how to get it (creating what the page shows). */
  path: string | ((page: Page) => Promise<string>);
  as?: Role;
  /** The page is the localised not-found page (its heading is checked). */
  notFound?: boolean;
  /** The page has <details>: scan it once more with every one open (en, light). */
  expand?: boolean;
};

const ws = `/t/${DEMO_TENANT.slug}`;
const PAGES: PageCase[] = [
  // Public (signed out).
  { path: "" },
  { path: "/sign-in" },
  { path: "/sign-up" },
  { path: "/sign-in/check-email" },
  { path: "/verify-email" },
  { path: "/dev/mailbox" },
  { path: "/legal/terms" },
  { path: "/legal/privacy" },
  {
    name: "/invite/[token]",
    path: async (page) => {
      const { inviteToken } = await withContent(page);
      await page.context().clearCookies();
      return `/invite/${inviteToken}`;
    },
  },
  { path: "/no-such-page", notFound: true },
  // A workspace, as its owner.
  { path: "/workspaces", as: "OWNER" },
  { path: "/account", as: "OWNER" },
  { path: ws, as: "OWNER" },
  { path: `${ws}/chat`, as: "OWNER" },
  { name: "/t/[slug]/chat/[conversationId]", path: async (page) => `/t/${(await withContent(page)).slug}/chat/${content!.conversationId}` },
  { path: `${ws}/knowledge`, as: "OWNER" },
  { path: `${ws}/meetings`, as: "OWNER" },
  { path: `${ws}/meetings/new`, as: "OWNER" },
  { name: "/t/[slug]/meetings/[meetingId]", path: async (page) => `/t/${(await withContent(page)).slug}/meetings/${content!.meetingId}` },
  { path: `${ws}/tasks`, as: "OWNER" },
  { path: `${ws}/tasks/new`, as: "OWNER" },
  { name: "/t/[slug]/tasks/[taskId]", path: async (page) => `/t/${(await withContent(page)).slug}/tasks/${content!.taskId}` },
  { path: `${ws}/members`, as: "OWNER" },
  { path: `${ws}/audit`, as: "OWNER" },
  { path: `${ws}/usage`, as: "OWNER" },
  { path: `${ws}/settings`, as: "OWNER" },
  { path: `${ws}/settings/providers`, as: "OWNER" },
  { path: `${ws}/settings/personas`, as: "OWNER", expand: true },
  { path: `${ws}/settings/security`, as: "OWNER" },
  { path: `${ws}/settings/privacy`, as: "OWNER" },
  { path: `${ws}/settings/access-reviews`, as: "OWNER" },
  { path: `${ws}/no-such-page`, as: "OWNER", notFound: true },
  { path: "/t/no-such-workspace", as: "OWNER", notFound: true },
  // The admin panel, as the demo platform admin. The dead-letter page (/admin/jobs/[id]) needs a job
  // that failed for good (~90 s of retries): e2e/tests/jobs.spec.ts runs axe on it.
  { path: "/admin", as: "PLATFORM_ADMIN" },
  { path: "/admin/users", as: "PLATFORM_ADMIN" },
  {
    name: "/admin/users/[userId]",
    as: "PLATFORM_ADMIN",
    path: async (page) => {
      const users = await dataOf<{ id: string; email: string }[]>(await trpc.query(page.request, "admin.users", { query: demo("OWNER") }));
      return `/admin/users/${users.find((u) => u.email === demo("OWNER"))!.id}`;
    },
  },
  {
    name: "/admin/tenants/[tenantId]",
    as: "PLATFORM_ADMIN",
    path: async (page) => {
      const tenants = await dataOf<{ id: string; slug: string }[]>(await trpc.query(page.request, "admin.tenants", { query: DEMO_TENANT.slug }));
      return `/admin/tenants/${tenants.find((x) => x.slug === DEMO_TENANT.slug)!.id}`;
    },
  },
  { path: "/admin/usage", as: "PLATFORM_ADMIN" },
  { path: "/admin/audit", as: "PLATFORM_ADMIN", expand: true },
  { path: "/admin/ops", as: "PLATFORM_ADMIN" },
  { path: "/admin/jobs", as: "PLATFORM_ADMIN" },
  { path: "/admin/keys", as: "PLATFORM_ADMIN" },
  { path: "/admin/support", as: "PLATFORM_ADMIN" },
  {
    name: "/admin/support/[sessionId]",
    as: "PLATFORM_ADMIN",
    // A session on the audit's own workspace (never the demo one: its owner would see the notice).
    path: async (page) => {
      const { tenantId } = await withContent(page);
      await page.context().clearCookies();
      await signedInAs(page, "PLATFORM_ADMIN");
      const session = await dataOf<{ id: string }>(
        await trpc.mutation(page.request, "support.open", { tenantId, reason: "Accessibility audit of the support view", durationMinutes: 5 }),
      );
      return `/admin/support/${session.id}`;
    },
  },
  { path: "/admin/no-such-page", as: "PLATFORM_ADMIN", notFound: true },
];

const ERROR_BOUNDARY = { en: "Something went wrong", es: "Algo ha salido mal" } as const;
const NOT_FOUND = { en: /not found/i, es: /no encontrad|no existe/i } as const;

/**
 * Lets the CSS transitions the scheme change started (colour fades) finish, so contrast is measured
 * on the final colours. Only transitions: an infinite animation (a skeleton's pulse) never finishes.
 */
const settled = (page: Page) =>
  page.evaluate(() => {
    const fading = document.getAnimations().filter((a) => a instanceof CSSTransition && !!(a.effect as KeyframeEffect | null)?.target?.checkVisibility());
    // A transition on an element that is not rendered (in a closed <details>) never ticks: cap the wait.
    return Promise.race([Promise.all(fading.map((a) => a.finished.catch(() => undefined))), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  });

/**
 * One locale × scheme. The first scheme of a locale gets everything (axe and HTML_CodeSniffer, so
 * HTML_CodeSniffer runs in en-light and es-dark); switching the scheme changes only colours (CSS
 * variables, same DOM), so the second gets the colour-dependent axe rules — that halves the cost.
 */
const checkVariant = async (page: Page, locale: Locale, scheme: Scheme, full: boolean) => {
  await test.step(`${locale} ${scheme}`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    await settled(page);
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expectAxeClean(page, full ? "all" : "colour");
    if (full) await expectHtmlcsClean(page);
  });
};


for (const c of PAGES) {
  const who = c.as ?? (c.name?.startsWith("/t/") ? "a new owner" : "signed out");
  test(`${who} ${c.name ?? (typeof c.path === "string" ? c.path || "/" : "")}: axe and HTML_CodeSniffer in en/es × light/dark`, async ({ page }) => {
    if (c.as) await signedInAs(page, c.as);
    const path = typeof c.path === "string" ? c.path : await c.path(page);
    // Light then dark in English, dark then light in Spanish: one navigation per locale.
    for (const [locale, schemes] of [
      ["en", ["light", "dark"]],
      ["es", ["dark", "light"]],
    ] as const) {
      await page.emulateMedia({ colorScheme: schemes[0] });
      const res = await page.goto(`/${locale}${path}`);
      // A not-found page under a loading skeleton answers 200 (the status was sent before notFound()).
      expect(c.notFound ? [200, 404] : [200], `status of /${locale}${path}`).toContain(res?.status());
      const h1 = page.getByRole("heading", { level: 1 });
      await expect(h1).toBeVisible();
      if (c.notFound) await expect(h1).toHaveText(NOT_FOUND[locale]);
      await expect(page.getByRole("heading", { name: ERROR_BOUNDARY[locale] }), "the page rendered, not the error boundary").toHaveCount(0);
      // 2.4.2: every page has a title, and only the landing page is titled by the product name alone.
      expect.soft(await page.title(), `title of /${locale}${path}`).toMatch(path === "" ? /\S/ : /^(?!OC Suite$)\S/);
      for (const [i, scheme] of schemes.entries()) await checkVariant(page, locale, scheme, i === 0);
    }
    if (c.expand) {
      await test.step("en light, every <details> open", async () => {
        await page.emulateMedia({ colorScheme: "light" });
        await page.goto(`/en${path}`);
        const details = page.locator("details");
        expect(await details.count(), "the page has <details> to open").toBeGreaterThan(0);
        await details.evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
        await expect(page.locator("details:not([open])")).toHaveCount(0);
        await expectAxeClean(page, "all");
        await expectHtmlcsClean(page);
      });
    }
  });
}

// ---- Beyond the engines: keyboard, target size, motion -------------------------------------------

test("keyboard: the skip link moves focus to the main content", async ({ page }) => {
  await page.goto("/en/sign-in");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: /skip to content/i });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main/);
});

/**
 * WCAG 2.2 SC 2.5.8 Target Size (Minimum): every pointer target is at least 24×24 CSS px, or its
 * 24 px circle touches no other target (the spacing exception), or it is a link inside a sentence
 * (the inline exception). A checkbox or radio's target includes its <label> (clicking it toggles).
 */
const undersizedTargets = (page: Page) =>
  page.evaluate(() => {
    const SELECTOR =
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=menuitem], [role=option], [tabindex]:not([tabindex='-1'])";
    type Box = { el: Element; x: number; y: number; w: number; h: number };
    // checkVisibility: a closed <details>' content keeps a layout box but is not rendered.
    const visible = (r: DOMRect, el: Element) => r.width > 1 && r.height > 1 && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const union = (a: DOMRect, b: DOMRect) => {
      const x = Math.min(a.left, b.left);
      const y = Math.min(a.top, b.top);
      return { x, y, w: Math.max(a.right, b.right) - x, h: Math.max(a.bottom, b.bottom) - y };
    };
    // A link in running text: an inline box whose block has more text than the link itself.
    const inSentence = (el: Element) => {
      if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
      const block = el.closest("p, li, td, dd, span, div");
      return !!block && (block.textContent ?? "").trim().length > (el.textContent ?? "").trim().length + 3;
    };
    const boxes: Box[] = [];
    for (const el of document.querySelectorAll(SELECTOR)) {
      const r = el.getBoundingClientRect();
      if (!visible(r, el) || el.closest("[aria-hidden=true], .sr-only")) continue;
      let box = { x: r.left, y: r.top, w: r.width, h: r.height };
      if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
        for (const label of el.labels ?? []) box = union(new DOMRect(box.x, box.y, box.w, box.h), label.getBoundingClientRect());
      }
      boxes.push({ el, ...box });
    }
    // Half a pixel of rounding (a 23.5 px line box) is not a finding.
    const small = (b: Box) => b.w < 23.5 || b.h < 23.5;
    const centre = (b: Box) => ({ cx: b.x + b.w / 2, cy: b.y + b.h / 2 });
    const distToBox = (px: number, py: number, b: Box) => Math.hypot(Math.max(b.x - px, 0, px - (b.x + b.w)), Math.max(b.y - py, 0, py - (b.y + b.h)));
    const nested = (a: Element, b: Element) => a.contains(b) || b.contains(a);
    const out: string[] = [];
    for (const b of boxes) {
      if (!small(b) || inSentence(b.el)) continue;
      const { cx, cy } = centre(b);
      const crowded = boxes.some((o) => {
        if (o === b || nested(o.el, b.el)) return false;
        if (small(o)) {
          const c = centre(o);
          return Math.hypot(cx - c.cx, cy - c.cy) < 24;
        }
        return distToBox(cx, cy, o) < 12;
      });
      if (crowded) {
        const name = (b.el.getAttribute("aria-label") ?? b.el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
        out.push(`${b.el.tagName.toLowerCase()} “${name}” ${Math.round(b.w)}×${Math.round(b.h)}`);
      }
    }
    return out;
  });

test("target size (2.5.8): pointer targets are 24×24 px or spaced, on the main flows", async ({ page }) => {
  for (const path of ["/en/sign-in", "/en/sign-up"]) {
    await page.goto(path);
    expect(await undersizedTargets(page), path).toEqual([]);
  }
  await signedInAs(page, "OWNER");
  for (const path of ["/en/workspaces", `/en${ws}`, `/en${ws}/chat`, `/en${ws}/meetings/new`, `/en${ws}/tasks/new`, `/en${ws}/members`, `/en${ws}/settings/personas`, "/en/account"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await undersizedTargets(page), path).toEqual([]);
  }
});

test("reduced motion: with prefers-reduced-motion, nothing animates or transitions", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await signedInAs(page, "OWNER");
  for (const path of [`/en${ws}`, `/en${ws}/settings/personas`, `/en${ws}/meetings/new`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const moving = await page.evaluate(() => {
      const seconds = (v: string) => Math.max(...v.split(",").map((x) => (x.trim().endsWith("ms") ? parseFloat(x) / 1000 : parseFloat(x))));
      return [...document.querySelectorAll("*")]
        .map((el) => ({ el, s: getComputedStyle(el) }))
        .filter(({ s }) => (s.animationName !== "none" && seconds(s.animationDuration) > 0.001) || (s.transitionProperty !== "none" && seconds(s.transitionDuration) > 0.001))
        .map(({ el, s }) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} animation ${s.animationName} ${s.animationDuration}, transition ${s.transitionDuration}`);
    });
    expect(moving, path).toEqual([]);
  }
  // Without the preference the same page does animate (the check above can fail).
  await page.emulateMedia({ reducedMotion: "no-preference" });
  await page.goto(`/en${ws}/settings/personas`);
  const duration = await page.locator("summary").first().evaluate((el) => getComputedStyle(el).transitionDuration);
  expect(duration).not.toBe("0s");
});

/**
 * WCAG 2.2 SC 1.4.12 Text Spacing: with line height 1.5, paragraph spacing 2×, letter spacing 0.12×
 * and word spacing 0.16× the font size, nothing is cut off and the page does not scroll sideways.
 * The styles go in as a constructed style sheet (the CSP refuses an injected <style>, as it should).
 */
test("text spacing (1.4.12): the WCAG spacing overrides clip no text", async ({ page }) => {
  await signedInAs(page, "OWNER");
  for (const path of ["/en/sign-in", `/en${ws}`, `/en${ws}/chat`, `/en${ws}/meetings/new`, `/en${ws}/settings/personas`, `/es${ws}/members`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const problems = await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(
        "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }",
      );
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      const out: string[] = [];
      if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px`);
      for (const el of document.querySelectorAll<HTMLElement>("body *")) {
        const s = getComputedStyle(el);
        const clips = /hidden|clip/.test(s.overflowY) || /hidden|clip/.test(s.overflowX);
        // Not clipping: deliberate one-line truncation (the full text is the control's name or shown
        // elsewhere), a clamped preview inside a link (the link opens the whole thing), sr-only text.
        const preview = s.webkitLineClamp !== "none" && el.closest("a");
        if (!clips || s.textOverflow === "ellipsis" || preview || s.position === "absolute" || !el.innerText?.trim() || el.closest(".sr-only")) continue;
        if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) out.push(`${el.tagName.toLowerCase()} “${el.innerText.trim().slice(0, 40)}” ${el.clientWidth}×${el.clientHeight} < ${el.scrollWidth}×${el.scrollHeight}`);
      }
      return out;
    });
    expect.soft(problems, path).toEqual([]);
  }
});
