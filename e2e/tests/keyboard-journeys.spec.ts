import { expect, test, type Locator, type Page } from "@playwright/test";
import { makeMarkdown } from "../../tests/support/sample-files";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { APP_URL } from "../support/env.mjs";
import { DEMO_PASSWORD, DEMO_TENANT, demo, perFileClientIp, trpc, uniqueEmail } from "../support/fixtures";

/*
 * Keyboard-only journeys through the core flows (issue 15, WCAG 2.2 AA audit):
 * after `page.goto`, every step is a key press (Tab, Shift+Tab, Enter, Space,
 * arrows, typing): no `.click()`, no `.fill()`, no mouse. `tabTo` walks the tab
 * order to each control, which proves it is reachable (2.1.1) in a sensible
 * order (2.4.3), and checks at every stop on the way that focus is visible
 * (2.4.7) and not obscured (2.4.11). After an action that changes the page,
 * `expectFocusKept` checks focus landed somewhere sensible, not on <body>.
 * Live regions (4.1.3 status messages) are found by role and attribute, never by class.
 * Set-up that is not the journey under test (accounts, a workspace, a
 * document to cite, a task to review) goes over HTTP, as the other specs do.
 */
test.use(perFileClientIp());

const CFO = "Chief Financial Officer";
const ANSWER_TIMEOUT = 30_000;
const READY_TIMEOUT = 60_000;
const RUN_TIMEOUT = 120_000;
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const HOTEL = "Hotel stays on business trips are reimbursed up to 150 euros per night, breakfast included.";
const travelPolicy = () => Buffer.from(makeMarkdown({ title: "Travel policy", sections: [{ heading: "Hotels", text: HOTEL }] }));

type FocusStop = {
  /** What got focus, for failure messages: tag, role, name. */
  what: string;
  body: boolean;
  /** The outline or box-shadow that shows focus, or null when there is none of at least 2 px. */
  indicator: string | null;
  inViewport: boolean;
  /** What covers the element's centre when something else does (2.4.11), else null. */
  coveredBy: string | null;
  /** The scrolling or clipping ancestor that cuts off part of the element's outline, else null. */
  clippedBy: string | null;
};

/** Describes document.activeElement and whether its focus can be seen (runs in the page). */
const focusStop = (page: Page): Promise<FocusStop> =>
  page.evaluate(() => {
    const describe = (node: Element | null): string => {
      if (!node) return "nothing";
      const el = node as HTMLElement;
      const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? null;
      const name = el.getAttribute("aria-label") ?? label ?? el.textContent ?? "";
      const role = el.getAttribute("role") ?? (el as HTMLInputElement).type ?? "";
      return `<${el.tagName.toLowerCase()}${role ? ` ${role}` : ""}> “${name.replace(/\s+/g, " ").trim().slice(0, 60)}”`;
    };
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return { what: "<body>", body: true, indicator: null, inViewport: false, coveredBy: null, clippedBy: null };

    // The indicator is the element's own outline or box-shadow (the global :focus-visible
    // ring, Tailwind's focus-visible:outline-*), or an outline its wrapper draws for it
    // (the persona cards: a <label> with has-[:focus-visible]:outline-2 around the input).
    const px = (v: string) => Number.parseFloat(v) || 0;
    const ownShadow = (style: CSSStyleDeclaration) => {
      if (style.boxShadow === "none") return null;
      // "rgb(…) 0px 0px 0px 2px": a ring is a spread of at least 2 px.
      const shadows = style.boxShadow.split(/,(?![^(]*\))/);
      const ring = shadows.find((s) => {
        const lengths = (s.replace(/rgba?\([^)]*\)/g, "").match(/-?\d+(\.\d+)?px/g) ?? []).map(px);
        return (lengths[3] ?? 0) >= 2;
      });
      return ring ? `box-shadow ${ring.trim()}` : null;
    };
    const outlineOf = (node: HTMLElement) => {
      const style = getComputedStyle(node);
      if (style.outlineStyle !== "none" && px(style.outlineWidth) >= 2) return `outline ${style.outlineWidth} ${style.outlineStyle}`;
      return null;
    };
    let indicator = outlineOf(el) ?? ownShadow(getComputedStyle(el));
    for (let up = el.parentElement, depth = 0; !indicator && up && depth < 3; up = up.parentElement, depth++) {
      if (up.matches(":has(:focus-visible)")) indicator = outlineOf(up) && `${outlineOf(up)} on ${describe(up)}`;
    }

    const rect = el.getBoundingClientRect();
    const inViewport = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 && rect.top < window.innerHeight && rect.left < window.innerWidth;
    let coveredBy: string | null = null;
    if (inViewport) {
      const x = Math.min(Math.max(rect.left + rect.width / 2, 0), window.innerWidth - 1);
      const y = Math.min(Math.max(rect.top + rect.height / 2, 0), window.innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      // The element itself, a part of it (an icon in a button) or its own wrapper (a label around a radio).
      if (!hit || !(el.contains(hit) || hit.contains(el))) coveredBy = describe(hit);
    }
    // An outline drawn outside the box is cut off by an ancestor that clips its overflow
    // (overflow-x: auto clips both axes): the ring is then only partly there.
    let clippedBy: string | null = null;
    const style = getComputedStyle(el);
    if (inViewport && style.outlineStyle !== "none") {
      const grow = px(style.outlineWidth) + px(style.outlineOffset);
      for (let up = el.parentElement; up && up !== document.body && !clippedBy; up = up.parentElement) {
        const s = getComputedStyle(up);
        if (s.overflowX === "visible" && s.overflowY === "visible") continue;
        const box = up.getBoundingClientRect();
        const inner = { left: box.left + up.clientLeft, top: box.top + up.clientTop, right: box.left + up.clientLeft + up.clientWidth, bottom: box.top + up.clientTop + up.clientHeight };
        // Only the sides where the element is not scrolled out of its container anyway.
        const cut =
          (rect.left - grow < inner.left - 0.5 && rect.left >= inner.left) ||
          (rect.right + grow > inner.right + 0.5 && rect.right <= inner.right) ||
          (rect.top - grow < inner.top - 0.5 && rect.top >= inner.top) ||
          (rect.bottom + grow > inner.bottom + 0.5 && rect.bottom <= inner.bottom);
        if (cut) clippedBy = describe(up).slice(0, 40);
      }
    }
    return { what: describe(el), body: false, indicator, inViewport, coveredBy, clippedBy };
  });

/** Fails unless the focused element shows a ≥ 2 px indicator and is on screen, uncovered. */
const expectVisibleFocus = (stop: FocusStop, context: string) => {
  expect(stop.body, `${context}: focus fell back to <body>`).toBe(false);
  expect(stop.indicator, `${context}: ${stop.what} has no visible focus indicator (2.4.7)`).not.toBeNull();
  expect(stop.inViewport, `${context}: ${stop.what} is focused off screen (2.4.11)`).toBe(true);
  expect(stop.coveredBy, `${context}: ${stop.what} is covered by ${stop.coveredBy} (2.4.11)`).toBeNull();
  expect(stop.clippedBy, `${context}: ${stop.what}'s focus outline is cut off by ${stop.clippedBy} (2.4.7)`).toBeNull();
};

/** After an action that changed the page: focus is on something sensible and visible, not <body>. */
const expectFocusKept = async (page: Page, context: string, where?: Locator) => {
  if (where) await expect(where, `${context}: focus should be here`).toBeFocused();
  expectVisibleFocus(await focusStop(page), context);
};

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, checking every stop on
 * the way. Fails with the list of what got focus when `max` presses are not enough.
 */
const tabTo = async (page: Page, target: Locator, { max = 40, reverse = false }: { max?: number; reverse?: boolean } = {}) => {
  await target.waitFor({ state: "visible" });
  const stops: string[] = [];
  for (let i = 0; i <= max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      expectVisibleFocus(await focusStop(page), `tabTo ${target}`);
      return;
    }
    if (i === max) break;
    await page.keyboard.press(reverse ? "Shift+Tab" : "Tab");
    const stop = await focusStop(page);
    stops.push(stop.what);
    // Past the last control focus leaves the page for the browser's UI (<body> here) and comes back round.
    if (!stop.body) expectVisibleFocus(stop, `tabTo ${target}, stop ${i + 1}`);
  }
  throw new Error(`${target} was not reached in ${max} ${reverse ? "Shift+Tab" : "Tab"} presses; focus went to:\n  ${stops.join("\n  ")}`);
};

/** The polite live region that has announced `text` (role=status or aria-live, found by role/attribute). */
const liveRegionWith = (page: Page, text: string | RegExp) => page.locator('[role="status"], [role="log"], [aria-live="polite"], [aria-live="assertive"]').filter({ hasText: text });

const expectPolite = async (region: Locator) => {
  await expect(region.first()).toBeAttached();
  const live = await region.first().evaluate((el) => el.getAttribute("aria-live") ?? ({ status: "polite", log: "polite" } as Record<string, string>)[el.getAttribute("role") ?? ""] ?? null);
  expect(live).toBe("polite");
};

/** Picks the CFO in the chat's persona radios, types the question in the box and sends it with Enter. */
const askCfoByKeyboard = async (page: Page, question: string) => {
  await expect(page.getByRole("heading", { level: 1, name: "Chat" })).toBeVisible();
  await tabTo(page, page.getByRole("radio", { checked: true }), { max: 60 });
  // Native radios: an arrow key moves the choice (CEO first, then the CFO).
  await page.keyboard.press("ArrowDown");
  const cfo = page.getByRole("radio", { name: new RegExp(CFO) });
  await expect(cfo).toBeChecked();
  expectVisibleFocus(await focusStop(page), "the CFO's radio");
  const composer = page.getByRole("textbox", { name: `Message to the ${CFO}` });
  await tabTo(page, composer, { max: 5 });
  await page.keyboard.type(question);
  await page.keyboard.press("Enter");
  const answer = page.getByTestId("assistant-message").last();
  await expect(answer).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
  // The message box keeps focus while the answer streams in and after (not <body>).
  await expectFocusKept(page, "after sending a message", composer);
  return { answer, composer };
};

/** Uploads a Markdown document over the upload route and waits until it is indexed. */
const seedDocument = async (page: Page, slug: string, name: string, bytes: Buffer) => {
  const res = await page.request.post(`/api/t/${slug}/documents`, {
    headers: { "content-type": "application/octet-stream", "x-filename": encodeURIComponent(name), origin: APP_URL },
    data: bytes,
  });
  expect(res.status(), await res.text()).toBe(201);
  await expect
    .poll(async () => ((await (await trpc.query(page.request, "knowledge.list", { tenantSlug: slug })).json()).result.data.json as { counts: { ready: number } }).counts.ready, {
      timeout: READY_TIMEOUT,
      intervals: [500, 1_000],
    })
    .toBe(1);
};

test("keyboard only: sign in with the password form and reach the workspace", async ({ page }) => {
  await page.goto("/en/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to OC Suite" })).toBeVisible();
  // The password form's Email comes first (the magic-link form below has its own).
  await tabTo(page, page.getByRole("textbox", { name: "Email", exact: true }).first());
  await page.keyboard.type(demo("OWNER"));
  await tabTo(page, page.getByLabel("Password", { exact: true }), { max: 1 });
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/en\/workspaces$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Your workspaces" })).toBeVisible();
  await tabTo(page, page.getByRole("link", { name: `Open ${DEMO_TENANT.name}` }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/en/t/${DEMO_TENANT.slug}$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The workspace's tabs are reachable from the top of the page.
  await tabTo(page, page.getByRole("link", { name: "Chat", exact: true }));
});

test("keyboard only: chat with the CFO, the answer is announced, open its citation and come back", { tag: "@critical" }, async ({ page }) => {
  await signUpAndSignIn(page.request, "kbd-chat", "Kira Keys");
  const ws = await createWorkspace(page.request, `Keyboard chat ${unique()}`);
  await seedDocument(page, ws.slug, "Travel policy.md", travelPolicy());

  await page.goto(`/en/t/${ws.slug}/chat`);
  const { answer, composer } = await askCfoByKeyboard(page, "What is the hotel limit per night on business trips?");
  await expect(answer).toContainText("150 euros per night");

  // Screen readers hear the finished answer once, through a polite status region (not token by token).
  const announced = liveRegionWith(page, `The ${CFO} answered:`);
  await expect(announced).toContainText("150 euros per night");
  await expectPolite(announced);

  // Back up from the message box to the answer's source, open it with Enter.
  const source = answer.getByRole("button", { name: /^Source 1: Travel policy/ }).last();
  await tabTo(page, source, { reverse: true, max: 10 });
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Travel policy" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("citation-passage")).toContainText("150 euros per night");
  await expectFocusKept(page, "the citation dialog opened");
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await tabTo(page, dialog.getByRole("link", { name: "Download the original" }), { max: 3 });
  await tabTo(page, dialog.getByRole("button", { name: "Close" }), { max: 2 });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  // Closing returns focus to the source that opened it.
  await expectFocusKept(page, "the citation dialog closed", source);
  await tabTo(page, composer, { max: 10 });
});

test("keyboard only: upload a document with the file picker, wait until ready, ask about it and get it cited", async ({ page }) => {
  await signUpAndSignIn(page.request, "kbd-knowledge", "Kofi Keys");
  const ws = await createWorkspace(page.request, `Keyboard knowledge ${unique()}`);
  await page.goto(`/en/t/${ws.slug}/knowledge`);
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();

  // A keyboard user reaches the visible "Choose files" button and presses Enter,
  // which opens the system file picker for the (visually hidden, untabbable) file
  // input. Playwright cannot type into a native picker: it answers the picker the
  // key press opened (the filechooser event), which is how a keyboard user's file
  // choice is emulated. Answering the picker rather than calling setInputFiles on
  // the hidden input proves the button really opens it.
  const choose = page.getByRole("button", { name: "Choose files" });
  await tabTo(page, choose);
  const picker = page.waitForEvent("filechooser");
  await page.keyboard.press("Enter");
  await (await picker).setFiles({ name: "Travel policy.md", mimeType: "text/markdown", buffer: travelPolicy() });

  const uploaded = liveRegionWith(page, "Travel policy.md uploaded; it is being processed.");
  await expect(uploaded).toHaveCount(1);
  await expectPolite(uploaded);
  await expectFocusKept(page, "after choosing a file", choose);
  const row = page.getByTestId("document-row").filter({ has: page.getByText("Travel policy", { exact: true }) });
  await expect(row.getByTestId("document-status")).toHaveAttribute("data-status", "ready", { timeout: READY_TIMEOUT });

  // To the chat through the workspace's tabs (back up the page with Shift+Tab).
  await tabTo(page, page.getByRole("link", { name: "Chat", exact: true }), { reverse: true, max: 30 });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/t/${ws.slug}/chat$`));
  const { answer } = await askCfoByKeyboard(page, "What do hotel stays on business trips cost at most per night?");
  await expect(answer).toContainText("150 euros per night");
  await expect(answer.getByRole("button", { name: /^Source 1: Travel policy/ }).first()).toBeVisible();
});

test("keyboard only: create a board meeting, follow its turns live, turn an action item into a task", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpAndSignIn(page.request, "kbd-meeting", "Mina Keys");
  const ws = await createWorkspace(page.request, `Keyboard meeting ${unique()}`);
  await page.goto(`/en/t/${ws.slug}/meetings`);
  await expect(page.getByRole("heading", { level: 1, name: "Board meetings" })).toBeVisible();

  await tabTo(page, page.getByRole("link", { name: "New meeting" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "New board meeting" })).toBeVisible();
  await tabTo(page, page.getByRole("textbox", { name: "Title", exact: true }));
  await page.keyboard.type("Keyboard pricing review");
  await tabTo(page, page.getByRole("textbox", { name: "Goal", exact: true }), { max: 1 });
  await page.keyboard.type("Decide whether to raise list prices next quarter.");
  await tabTo(page, page.getByRole("textbox", { name: "Item 1", exact: true }), { max: 1 });
  await page.keyboard.type("Raise list prices by 5%");

  // The participants are a group of checkboxes: Tab to each, Space ticks it.
  for (const name of [CFO, "Chief Technology Officer"]) {
    const box = page.getByRole("checkbox", { name: new RegExp(name) });
    await tabTo(page, box, { max: 12 });
    await page.keyboard.press("Space");
    await expect(box).toBeChecked();
  }
  await expect(page.getByRole("combobox", { name: "Chair" })).toHaveValue("cfo");
  await tabTo(page, page.getByRole("button", { name: "Start meeting" }), { max: 12 });
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/meetings\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Keyboard pricing review" })).toBeVisible();
  // Turns are announced as they arrive, in a polite status region (the end of the run at least).
  const live = liveRegionWith(page, /Turn \d+ of 2|Meeting completed\./);
  await expect(live).toHaveCount(1, { timeout: RUN_TIMEOUT });
  await expectPolite(live);
  await expect(page.getByTestId("meeting-view")).toHaveAttribute("data-status", "completed", { timeout: RUN_TIMEOUT });
  await expect(page.getByTestId("meeting-turn")).toHaveCount(2);
  await expect(page.getByTestId("meeting-decision")).not.toBeEmpty();

  // The first action item becomes a task; focus follows the button to the link that replaces it.
  const createTask = page.getByRole("button", { name: /^Create a task from/ }).first();
  await tabTo(page, createTask, { max: 40 });
  await page.keyboard.press("Enter");
  const viewTask = page.getByRole("link", { name: /^View the task for/ }).first();
  await expect(viewTask).toBeVisible();
  await expectFocusKept(page, "after creating a task from an action item", viewTask);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tasks\/[^/]+$/);
  await expect(page.getByTestId("task-view")).toBeVisible();
  await expect(page.getByText("Created from a meeting's action item.")).toBeVisible();
});

test("keyboard only: review a task: send it back with a comment, then accept the revision", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpAndSignIn(page.request, "kbd-review", "Rui Keys");
  const ws = await createWorkspace(page.request, `Keyboard review ${unique()}`);
  const title = `Cash plan ${unique()}`;
  const created = await trpc.mutation(page.request, "task.create", { tenantSlug: ws.slug, personaKey: "cfo", title, description: "A one-page cash plan for the next two quarters." });
  expect(created.status(), await created.text()).toBe(200);

  await page.goto(`/en/t/${ws.slug}/tasks`);
  await expect(page.getByRole("heading", { level: 1, name: "Tasks" })).toBeVisible();
  await tabTo(page, page.getByRole("link", { name: title }));
  await page.keyboard.press("Enter");
  const view = page.getByTestId("task-view");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // (The first run may well have finished before the page opened: nothing to announce yet.)
  await expect(view).toHaveAttribute("data-status", "needs_review", { timeout: RUN_TIMEOUT });

  // Send back: type the feedback, Tab to the button, Enter.
  await tabTo(page, page.getByRole("textbox", { name: "Feedback for a revision" }), { max: 30 });
  await page.keyboard.type("Add a worst case with 20% lower revenue.");
  await tabTo(page, page.getByRole("button", { name: "Send back" }), { max: 1 });
  await page.keyboard.press("Enter");
  await expect(view).not.toHaveAttribute("data-status", "needs_review");
  // The review section goes away with the state it was for: focus moves to the task's heading, not <body>.
  await expectFocusKept(page, "after sending the task back", page.getByRole("heading", { level: 1, name: title }));
  await expect(page.getByText("Add a worst case with 20% lower revenue.")).toBeVisible();

  // The revision runs while the page watches: its steps and the result are announced politely.
  await expect(view).toHaveAttribute("data-status", "needs_review", { timeout: RUN_TIMEOUT });
  const ready = liveRegionWith(page, "The deliverable is ready for your review.");
  await expect(ready).toHaveCount(1);
  await expectPolite(ready);
  await tabTo(page, page.getByRole("button", { name: "Accept", exact: true }), { max: 30 });
  await page.keyboard.press("Enter");
  await expect(view).toHaveAttribute("data-status", "done");
  await expect(liveRegionWith(page, "Task done.")).toHaveCount(1);
  await expectFocusKept(page, "after accepting the task", page.getByRole("heading", { level: 1, name: title }));
  // From the heading, on to the link the finished task offers (the page's own back link is above it).
  await tabTo(page, page.getByRole("link", { name: "Back to tasks" }).last(), { max: 30 });
});

test("keyboard only: invite a member by e-mail with a role", async ({ page }) => {
  await signUpAndSignIn(page.request, "kbd-invite", "Ines Keys");
  const ws = await createWorkspace(page.request, `Keyboard invite ${unique()}`);
  await page.goto(`/en/t/${ws.slug}/members`);
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();

  const invitee = uniqueEmail("kbd-invitee");
  await tabTo(page, page.getByRole("textbox", { name: "Email", exact: true }), { max: 40 });
  await page.keyboard.type(invitee);
  const role = page.getByRole("combobox", { name: "Role", exact: true });
  await tabTo(page, role, { max: 1 });
  // A closed native select: the arrow key moves the choice (Member → Admin).
  await page.keyboard.press("ArrowDown");
  await expect(role).toHaveValue("ADMIN");
  await tabTo(page, page.getByRole("button", { name: "Send invitation" }), { max: 1 });
  await page.keyboard.press("Enter");

  const link = page.getByRole("textbox", { name: "Invitation link" });
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{20,}$/);
  await expect(page.getByRole("status").filter({ hasText: "Invitation created." })).toBeVisible();
  await expectFocusKept(page, "after sending the invitation");
  await tabTo(page, link, { max: 5 });
  await expect(page.getByRole("cell", { name: invitee, exact: true })).toBeVisible();
});
