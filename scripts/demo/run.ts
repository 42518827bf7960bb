#!/usr/bin/env node
// `npm run demo`: drives docs/demo-script.md in Chromium, scene by scene, and
// saves one screenshot per scene to docs/demo/<nn>-<scene>.png. Each scene
// waits for the text the audience is meant to see and fails loudly (exit 1,
// naming the scene and the text) when it is missing, so a green run proves the
// script still matches the product and the pictures stay current.
//
//   npm run demo                      start the embedded default itself (as `npm start`
//                                     does) on a free port with a scratch data folder,
//                                     run every scene, stop it; .data/ is never touched
//   npm run demo -- --url http://localhost:3000
//                                     run against an already running server (its demo seed)
//   npm run demo -- --out /tmp/shots  write the screenshots elsewhere
//   npm run demo -- --only 04,05      run some scenes only (earlier scenes' data must exist)
//   npm run demo -- --no-build        passed to scripts/start.mjs: serve the existing build
//
// Chromium is Debian's (CHROMIUM_PATH, default /usr/bin/chromium), as in
// e2e/playwright.config.ts. The app runs on the offline model (no provider key)
// and the local Inngest executor, so no account or network is needed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from "../../prisma/demo-data.mjs";
import { makePdf } from "../../tests/support/sample-files";

const ROOT = path.resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const outDir = path.resolve(option("out") ?? path.join(ROOT, "docs/demo"));
const only = option("only")?.split(",").map((s) => s.trim().padStart(2, "0"));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const VIEWPORT = { width: 1280, height: 800 };
// Background work (ingestion, meetings, tasks, key rotation) on a 2-core machine under load.
const JOB_TIMEOUT = 240_000;
const TEXT_TIMEOUT = 20_000;

const email = (role: string) => DEMO_USERS.find((u) => (role === "PLATFORM_ADMIN" ? u.isPlatformAdmin : u.role === role))!.email;
const slug = DEMO_TENANT.slug;
const CFO = "Chief Financial Officer";
const CTO = "Chief Technology Officer";
const COUNSEL = "General Counsel";
// The document the CFO cites in the chat scene, and the question that finds it.
const DOC_TITLE = "Pricing policy 2026";
const DOC_PASSAGE = "Annual subscriptions renew at list price with a maximum increase of 4 percent per year.";
const QUESTION = "What is the maximum price increase when an annual subscription renews?";
const MEETING_TITLE = "Q3 pricing review";
const BYOK_LABEL = "Local model server (demo)";

const log = (msg: string) => console.log(`[demo] ${msg}`);

class SceneError extends Error {}

/** Waits for `locator` to be visible; throws naming the scene and what was expected. */
const expectVisible = async (scene: string, locator: Locator, what: string, timeout = TEXT_TIMEOUT) => {
  try {
    await locator.first().waitFor({ state: "visible", timeout });
  } catch {
    throw new SceneError(`scene ${scene}: expected ${what} on ${locator.page().url()}, not found within ${timeout / 1000} s`);
  }
};
const expectText = (scene: string, page: Page, text: string | RegExp, timeout?: number) =>
  expectVisible(scene, page.getByText(text), `the text ${JSON.stringify(String(text))}`, timeout);
/** Polls an attribute until it has the value (the status of a document, meeting, task). */
const expectAttribute = async (scene: string, locator: Locator, name: string, value: string, timeout = JOB_TIMEOUT) => {
  const deadline = Date.now() + timeout;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator.first().getAttribute(name, { timeout: TEXT_TIMEOUT }).catch(() => null);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new SceneError(`scene ${scene}: expected ${name}="${value}" on ${locator.page().url()}, last seen ${JSON.stringify(last)} after ${timeout / 1000} s`);
};

const shot = async (page: Page, file: string) => {
  // Let fonts and transitions settle so the picture is what a person sees.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(outDir, `${file}.png`), animations: "disabled", caret: "hide" });
  log(`  saved ${path.relative(process.cwd(), path.join(outDir, `${file}.png`))}`);
};

const signIn = async (page: Page, who: string, scene: string) => {
  await page.goto("/en/sign-in");
  await expectVisible(scene, page.getByRole("heading", { name: "Sign in to OC Suite" }), "the heading “Sign in to OC Suite”");
  await page.getByLabel("Email", { exact: true }).first().fill(who);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
};
const submitSignIn = async (page: Page, scene: string) => {
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  try {
    await page.waitForURL((u) => !u.pathname.includes("/sign-in"), { timeout: TEXT_TIMEOUT });
  } catch {
    throw new SceneError(`scene ${scene}: signing in did not leave the sign-in page (${page.url()})`);
  }
};

type Ctx = { owner: Page; admin: () => Promise<Page>; browser: Browser };
type Scene = { id: string; name: string; run: (ctx: Ctx) => Promise<void> };

// The scenes of docs/demo-script.md, in order; the numbers are the screenshots'.
const scenes: Scene[] = [
  {
    id: "01",
    name: "sign-in",
    run: async ({ owner: page }) => {
      await signIn(page, email("OWNER"), "01");
      await shot(page, "01-sign-in");
      await submitSignIn(page, "01");
    },
  },
  {
    id: "02",
    name: "overview",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}`);
      await expectVisible("02", page.getByRole("heading", { level: 1, name: DEMO_TENANT.name }), `the heading “${DEMO_TENANT.name}”`);
      await expectText("02", page, "Get your workspace going");
      await expectText("02", page, "Tasks waiting for your review");
      await shot(page, "02-overview");
    },
  },
  {
    id: "03",
    name: "command-palette",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}`);
      await expectVisible("03", page.getByRole("heading", { level: 1 }), "the page heading");
      await page.keyboard.press("Control+k");
      const palette = page.getByRole("dialog", { name: "Command palette" });
      await expectVisible("03", palette, "the “Command palette” dialog");
      await page.keyboard.type("chief fin");
      await expectVisible("03", palette.getByRole("group", { name: "Personas" }).getByRole("option", { name: /Chief Financial Officer/ }), "the CFO under “Personas”");
      await shot(page, "03-command-palette");
      await page.keyboard.press("Escape");
    },
  },
  {
    id: "04",
    name: "knowledge",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}/knowledge`);
      await expectVisible("04", page.getByRole("heading", { level: 1, name: "Knowledge" }), "the heading “Knowledge”");
      const pdf = await makePdf({
        title: DOC_TITLE,
        pages: [
          `${DOC_PASSAGE} Multi-year contracts lock the price for their whole term.\n\nDiscounts above 15 percent need the CFO's approval.`,
          "Hardware is sold at cost; maintenance is included in every subscription.",
        ],
      });
      await page.getByLabel("Files to upload").setInputFiles([{ name: `${DOC_TITLE}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(pdf) }]);
      const row = page.getByTestId("document-row").filter({ has: page.getByText(DOC_TITLE, { exact: true }) });
      await expectVisible("04", row, `the document row “${DOC_TITLE}”`);
      // Ingestion runs on the local Inngest executor; the list polls until it is ready.
      await expectAttribute("04", row.getByTestId("document-status"), "data-status", "ready");
      await expectVisible("04", row.getByText("Ready"), "the status “Ready”");
      await row.scrollIntoViewIfNeeded();
      await shot(page, "04-knowledge-ready");
    },
  },
  {
    id: "05",
    name: "chat",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}/chat`);
      await expectVisible("05", page.getByRole("heading", { level: 1, name: "Chat" }), "the heading “Chat”");
      await page.getByRole("radio", { name: new RegExp(CFO) }).check();
      const composer = page.getByLabel(`Message to the ${CFO}`);
      await composer.fill(QUESTION);
      await composer.press("Enter");
      const answer = page.getByTestId("assistant-message").last();
      await expectAttribute("05", answer, "data-status", "complete", 90_000);
      await expectVisible("05", answer.getByText("Offline model", { exact: true }), "the “Offline model” badge");
      const marker = answer.getByRole("button", { name: `Source 1: ${DOC_TITLE}, p. 1` });
      await expectVisible("05", marker, `the citation “[${DOC_TITLE}, p. 1]”`);
      await shot(page, "05-chat-citation");
      await marker.first().click();
      const dialog = page.getByRole("dialog");
      await expectVisible("05", dialog.getByTestId("citation-passage").getByText(/maximum increase of 4 percent/), "the cited passage");
      await shot(page, "06-citation-passage");
      await page.keyboard.press("Escape");
    },
  },
  {
    id: "07",
    name: "meeting",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}/meetings/new`);
      await expectVisible("07", page.getByRole("heading", { level: 1, name: "New board meeting" }), "the heading “New board meeting”");
      await page.getByLabel("Title", { exact: true }).fill(MEETING_TITLE);
      await page.getByLabel("Goal", { exact: true }).fill("Decide whether to raise list prices in the third quarter and what it means for cash and contracts.");
      await page.getByLabel("Item 1", { exact: true }).fill("Raise list prices by 5% in Q3");
      await page.getByRole("button", { name: "Add agenda item" }).click();
      await page.getByLabel("Item 2", { exact: true }).fill("Renegotiate the three largest supplier contracts");
      for (const name of [CFO, CTO, COUNSEL]) await page.getByRole("checkbox", { name: new RegExp(name) }).check();
      await page.getByLabel("Chair", { exact: true }).selectOption({ label: CFO });
      await shot(page, "07-meeting-agenda");
      await page.getByRole("button", { name: "Start meeting" }).click();
      await page.waitForURL(/\/meetings\/[^/]+$/, { timeout: TEXT_TIMEOUT });
      await expectAttribute("07", page.getByTestId("meeting-view"), "data-status", "completed");
      await expectVisible("07", page.getByTestId("meeting-status").getByText("Completed"), "the status “Completed”");
      const decision = page.getByTestId("meeting-decision").first();
      await expectVisible("07", decision, "a recorded decision");
      await expectVisible("07", page.getByRole("table", { name: "Positions on item 1" }), "the table “Positions on item 1”");
      await decision.scrollIntoViewIfNeeded();
      await shot(page, "08-meeting-decisions");
    },
  },
  {
    id: "09",
    name: "task",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}/meetings`);
      await page.getByRole("link", { name: MEETING_TITLE }).first().click();
      const action = page.getByTestId("action-item").first();
      await expectVisible("09", action, "an action item");
      await action.scrollIntoViewIfNeeded();
      await expectVisible("09", action.getByText(/Owner: /), "the action item's owner");
      await shot(page, "09-action-item");
      await action.getByRole("button", { name: /^Create a task from/ }).click();
      const viewTask = action.getByRole("link", { name: /^View the task for/ });
      await expectVisible("09", viewTask, "the link “View the task for …”");
      await viewTask.click();
      await page.waitForURL(/\/tasks\/[^/]+$/, { timeout: TEXT_TIMEOUT });
      await expectAttribute("09", page.getByTestId("task-view"), "data-status", "needs_review");
      await expectVisible("09", page.getByTestId("task-status").getByText("Needs review"), "the status “Needs review”");
      await expectText("09", page, "Created from a meeting's action item.");
      await shot(page, "10-task-review");
      await page.getByRole("button", { name: "Accept", exact: true }).click();
      await expectAttribute("09", page.getByTestId("task-view"), "data-status", "done", TEXT_TIMEOUT);
      await expectVisible("09", page.getByTestId("task-status").getByText("Done"), "the status “Done”");
      await shot(page, "11-task-done");
    },
  },
  {
    id: "12",
    name: "audit",
    run: async ({ owner: page }) => {
      await page.goto(`/en/t/${slug}/audit`);
      await expectVisible("12", page.getByRole("heading", { level: 1, name: "Audit trail" }), "the heading “Audit trail”");
      await page.getByRole("button", { name: "Verify integrity" }).click();
      await expectText("12", page, /^Intact: \d+ events? checked/);
      await shot(page, "12-audit-trail");
    },
  },
  {
    id: "13",
    name: "keys",
    run: async ({ owner: page }) => {
      // Bring your own key: an OpenAI-compatible server on this machine (nothing listens on
      // port 9, and no scene after this one calls a model). Saved encrypted under the
      // workspace's data key; only its last four characters ever come back.
      await page.goto(`/en/t/${slug}/settings/providers`);
      await expectVisible("13", page.getByRole("heading", { level: 1, name: "AI providers" }), "the heading “AI providers”");
      await page.getByLabel("Provider").selectOption({ label: "OpenAI-compatible" });
      await page.getByLabel("Name").fill(BYOK_LABEL);
      await page.getByLabel("API key").fill("sk-demo-0123456789-abcd");
      await page.getByLabel("Base URL").fill("http://127.0.0.1:9/v1");
      await page.getByRole("button", { name: "Save credential" }).click();
      const credential = page.getByRole("row").filter({ hasText: BYOK_LABEL });
      await expectVisible("13", credential.getByText(/abcd/), "the saved key shown by its last four characters");
      await shot(page, "13-byok");

      await page.goto(`/en/t/${slug}/settings/security`);
      await expectVisible("13", page.getByRole("heading", { level: 2, name: "Encryption keys" }), "the heading “Encryption keys”");
      await expectText("13", page, /encrypted with a data key that belongs to this workspace alone/);
      await expectText("13", page, "Every 90 days");
      const active = page.getByTestId("active-version");
      await expectVisible("13", active.getByText(/^v\d+$/), "an active data key version");
      const before = Number((await active.textContent())!.trim().slice(1));
      await page.getByRole("button", { name: "Rotate now" }).click();
      const dialog = page.getByRole("dialog", { name: "Rotate the data key now?" });
      await expectVisible("13", dialog.getByText(/Reads and writes keep working throughout/), "the rotation dialog");
      await dialog.getByRole("button", { name: "Rotate now" }).click();
      // The rotation job re-encrypts every secret in batches, then keeps the old version for the rollback window.
      await expectVisible("13", active.getByText(`v${before + 1}`, { exact: true }), `v${before + 1} active`, JOB_TIMEOUT);
      await expectVisible("13", page.getByTestId("current-operation-status").getByText("Waiting for the rollback window"), "“Waiting for the rollback window”", JOB_TIMEOUT);
      await expectVisible("13", page.getByTestId("key-version").getByTestId("key-version-status").getByText("Decrypt only"), "the previous version “Decrypt only”");
      await shot(page, "14-key-rotation");

      // Leave the workspace on the offline model again, as the demo found it.
      await page.goto(`/en/t/${slug}/settings/providers`);
      await page.getByRole("button", { name: `Delete ${BYOK_LABEL}` }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete credential" }).click();
      await page.getByRole("row").filter({ hasText: BYOK_LABEL }).waitFor({ state: "detached", timeout: TEXT_TIMEOUT });
    },
  },
  {
    id: "15",
    name: "privacy",
    run: async ({ owner: page }) => {
      // The privacy centre (issue 16). Shown, not changed: a retention window set here would
      // delete a developer's data on a --url run. The export is harmless: an archive that expires.
      await page.goto(`/en/t/${slug}/settings/privacy`);
      await expectVisible("15", page.getByRole("heading", { level: 1, name: "Privacy" }), "the heading “Privacy”");
      for (const title of ["Telemetry", "Data residency", "Retention", "Export all workspace data"]) {
        await expectVisible("15", page.getByText(title, { exact: true }), `the section “${title}”`);
      }
      await expectVisible("15", page.getByRole("radio", { name: "European Union" }), "the region “European Union”");
      await expectVisible("15", page.getByRole("heading", { name: "Document storage" }), "the heading “Document storage”");
      await expectVisible("15", page.getByRole("heading", { name: "AI provider endpoints for this region" }), "the region's provider endpoints");
      await shot(page, "15-privacy");
      await page.getByRole("button", { name: "Export workspace" }).click();
      await expectText("15", page, "Export requested. It is built in the background; you will get an email when it is ready.");
      const row = page.getByTestId("data-export-row").first();
      await expectAttribute("15", row, "data-status", "ready");
      await expectVisible("15", row.getByRole("button", { name: "Download" }), "the export's “Download” button");
      // Deletion is shown, never requested: the workspace would become read-only.
      await expectVisible("15", page.getByText("Delete this workspace", { exact: true }), "the section “Delete this workspace”");
      await expectVisible("15", page.getByRole("button", { name: "Delete workspace" }), "the button “Delete workspace”");
      await page.getByText("Export all workspace data", { exact: true }).evaluate((el) => el.scrollIntoView({ block: "start" }));
      await shot(page, "16-privacy-export");
    },
  },
  {
    id: "17",
    name: "admin",
    run: async ({ admin }) => {
      const page = await admin();
      await page.goto("/en/admin/ops");
      await expectVisible("17", page.getByRole("navigation", { name: "Admin sections" }), "the “Admin sections” navigation");
      await expectVisible("17", page.getByRole("heading", { level: 1, name: "Reliability" }), "the heading “Reliability”");
      await expectText("17", page, /This server instance is healthy/);
      const slos = page.getByRole("heading", { name: "Service level objectives" });
      await expectVisible("17", slos, "the heading “Service level objectives”");
      await slos.scrollIntoViewIfNeeded();
      await shot(page, "17-admin-reliability");
      await page.goto("/en/admin/jobs");
      await expectVisible("17", page.getByRole("heading", { level: 1, name: "Background jobs" }), "the heading “Background jobs”");
      await expectVisible("17", page.getByRole("button", { name: "Run diagnostic job" }), "the button “Run diagnostic job”");
      await shot(page, "18-admin-jobs");
      await page.goto("/en/admin/keys");
      await expectVisible("17", page.getByRole("heading", { level: 1, name: "Encryption keys" }), "the heading “Encryption keys”");
      await shot(page, "19-admin-keys");
    },
  },
  {
    id: "20",
    name: "dark-and-spanish",
    run: async ({ owner: page }) => {
      await page.goto("/en/account");
      const theme = page.getByRole("group", { name: "Theme" });
      await expectVisible("20", theme, "the “Theme” choice");
      await theme.getByRole("radio", { name: "Dark" }).check();
      await expectAttribute("20", page.locator("html"), "data-theme", "dark", TEXT_TIMEOUT);
      await page.goto(`/en/t/${slug}`);
      await expectText("20", page, "Get your workspace going");
      await shot(page, "20-dark-mode");
      await page.getByRole("button", { name: "Language: English" }).first().click();
      await page.getByRole("menuitemradio", { name: "Español" }).click();
      await page.waitForURL(new RegExp(`/es/t/${slug}$`), { timeout: TEXT_TIMEOUT });
      await expectText("20", page, "Pon en marcha tu espacio de trabajo");
      await expectText("20", page, "Tareas pendientes de tu revisión");
      await shot(page, "21-spanish");
      // Back to the defaults (the language is remembered for the user), so a run against a
      // developer's server leaves the owner as found.
      await page.getByRole("button", { name: "Idioma: Español" }).first().click();
      await page.getByRole("menuitemradio", { name: "English" }).click();
      await page.waitForURL(new RegExp(`/en/t/${slug}$`), { timeout: TEXT_TIMEOUT });
      await page.goto("/en/account");
      await page.getByRole("group", { name: "Theme" }).getByRole("radio", { name: "System" }).check();
    },
  },
];

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/**
 * Starts the embedded default exactly as `npm start` does (scripts/start.mjs),
 * on a free port with a scratch data folder and no configured services, and
 * resolves once the server and the local executor are ready (the start banner).
 */
const startApp = async (): Promise<{ url: string; stop: () => Promise<void> }> => {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-demo-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OCSUITE_DATA_DIR: dataDir,
    OCSUITE_PG_PORT: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    // The rotation scene watches a key rotation finish; the default waits one key-cache TTL (60 s) first.
    KEY_CACHE_TTL_SECONDS: process.env.KEY_CACHE_TTL_SECONDS ?? "1",
  };
  // The embedded default: no configured services, whatever this shell exports.
  for (const k of ["DATABASE_URL", "REDIS_URL", "INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "SMTP_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", "PORT", "HOST"]) delete env[k];
  const passThrough = args.filter((a) => a === "--no-build");
  log(`starting the embedded default on port ${port} (data in ${dataDir})`);
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs", "--port", String(port), ...passThrough], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
      if (process.env.DEMO_VERBOSE) process.stdout.write(d);
      if (output.includes("OC Suite is running at")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the app exited (${code}) before it was ready:\n${output.slice(-4000)}`)));
  });
  log(`app ready at http://localhost:${port}`);
  return {
    url: `http://localhost:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

const main = async () => {
  const unknown = only?.filter((id) => !scenes.some((scene) => scene.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(`[demo] unknown scene(s) ${unknown.join(", ")}; the scenes are ${scenes.map((scene) => `${scene.id} ${scene.name}`).join(", ")}`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const app = option("url") ? { url: option("url")!.replace(/\/$/, ""), stop: async () => {} } : await startApp();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const newContext = (): Promise<BrowserContext> =>
    browser.newContext({ baseURL: app.url, viewport: VIEWPORT, deviceScaleFactor: 1, locale: "en-US", colorScheme: "light", reducedMotion: "reduce" });
  const t0 = Date.now();
  let failed = false;
  try {
    const owner = await (await newContext()).newPage();
    let adminPage: Page | undefined;
    const admin = async () => {
      if (!adminPage) {
        adminPage = await (await newContext()).newPage();
        await signIn(adminPage, email("PLATFORM_ADMIN"), "admin");
        await submitSignIn(adminPage, "admin");
      }
      return adminPage;
    };
    // Scenes after the first need a signed-in owner even when --only skips the sign-in scene.
    if (only && !only.includes("01")) {
      await signIn(owner, email("OWNER"), "sign-in");
      await submitSignIn(owner, "sign-in");
    }
    for (const scene of scenes) {
      if (only && !only.includes(scene.id)) continue;
      const started = Date.now();
      log(`scene ${scene.id} ${scene.name}`);
      await scene.run({ owner, admin, browser });
      log(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    log(`all scenes passed in ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in ${path.relative(process.cwd(), outDir) || outDir}`);
  } catch (err) {
    failed = true;
    console.error(`[demo] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await browser.close();
    await app.stop();
  }
  process.exit(failed ? 1 : 0);
};

await main();
