import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type APIResponse } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { APP_URL } from "../support/env.mjs";
import { expectAccessible, perFileClientIp, trpc } from "../support/fixtures";
import { formWith, RETENTION_WINDOWS } from "../support/privacy";

test.use(perFileClientIp());

// The privacy centre's export journey (issue 16): an owner with a conversation, a board meeting
// that reached a decision and an uploaded document changes every privacy setting in the UI,
// requests the full export, watches it build, downloads it through its signed link and opens the
// zip here: every file matches the manifest's SHA-256, and the known conversation, the meeting's
// decision, the document's original and the changed settings are in it. A tampered link is refused.

const JOB_TIMEOUT = 90_000;
const dataOf = async <T>(res: APIResponse): Promise<T> => {
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).result.data.json as T;
};
const jsonl = (files: Record<string, Uint8Array>, name: string) =>
  strFromU8(files[name]!)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test("an owner changes every privacy setting, exports the workspace, downloads the archive and finds a known conversation, a meeting decision and a document in it", { tag: "@critical" }, async ({ page }) => {
  test.setTimeout(240_000);
  const marker = `export-${Date.now().toString(36)}`;
  await signUpAndSignIn(page.request, "export-owner", "Erin Export");
  const ws = await createWorkspace(page.request, `Export ${Date.now().toString(36)}`);

  // Content: a conversation (the offline model answers), a meeting run to its decision, a document.
  const chat = await page.request.post(`/api/t/${ws.slug}/chat`, { headers: { origin: APP_URL }, data: { action: "send", personaKey: "cfo", content: `What is the runway for ${marker}?` } });
  expect(chat.status(), await chat.text()).toBe(200);
  const meeting = await dataOf<{ id: string }>(
    await trpc.mutation(page.request, "meeting.create", { tenantSlug: ws.slug, title: `Pricing ${marker}`, goal: "Decide on list prices.", agenda: ["Raise list prices by 5%"], personaKeys: ["cfo"], chairKey: "cfo", rounds: 1 }),
  );
  const original = Buffer.from(`# Board pack ${marker}\n\nRevenue grew 12% in the quarter.\n`);
  const upload = await page.request.post(`/api/t/${ws.slug}/documents`, {
    headers: { "content-type": "application/octet-stream", "x-filename": encodeURIComponent("board pack.md"), origin: APP_URL },
    data: original,
  });
  expect(upload.status(), await upload.text()).toBe(201);
  await expect
    .poll(async () => (await dataOf<{ meeting: { status: string } }>(await trpc.query(page.request, "meeting.get", { tenantSlug: ws.slug, id: meeting.id }))).meeting.status, { timeout: JOB_TIMEOUT, intervals: [1_000] })
    .toBe("completed");

  // Every privacy setting, in the UI.
  await page.goto(`/en/t/${ws.slug}/settings/privacy`);
  await expect(page.getByRole("heading", { level: 1, name: "Privacy" })).toBeVisible();
  await page.getByLabel("Include this workspace's identifiers in telemetry").uncheck();
  const telemetryForm = formWith(page, "Include this workspace's identifiers in telemetry");
  await telemetryForm.getByRole("button", { name: "Save" }).click();
  await expect(telemetryForm.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("radio", { name: "European Union" }).check();
  const residencyForm = formWith(page, "European Union");
  await residencyForm.getByRole("button", { name: "Save" }).click();
  await expect(residencyForm.getByRole("status")).toHaveText("Saved.");
  const retentionForm = formWith(page, "Audit events");
  for (const [label, days] of RETENTION_WINDOWS) await retentionForm.getByLabel(label, { exact: true }).fill(days);
  await retentionForm.getByRole("button", { name: "Save" }).click();
  await expect(retentionForm.getByRole("status")).toHaveText("Saved.");

  // The export: requested with one click, built in the background, listed with its size.
  await expect(page.getByRole("heading", { level: 2, name: "Export all workspace data" })).toBeVisible();
  await expect(page.getByText("No exports yet.")).toBeVisible();
  await page.getByRole("button", { name: "Export workspace" }).click();
  await expect(page.getByText("Export requested.", { exact: false })).toBeVisible();
  const row = page.getByTestId("data-export-row").first();
  await expect(row).toHaveAttribute("data-status", "ready", { timeout: JOB_TIMEOUT });
  await expect(row.getByTestId("data-export-status")).toHaveText("Ready");
  await expect(row).toContainText("MB");
  await expectAccessible(page);

  // Download through the signed link.
  const downloading = page.waitForEvent("download");
  await row.getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^ocsuite-${ws.slug}-workspace-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const zip = await readFile((await download.path())!);
  const files = unzipSync(new Uint8Array(zip));

  // Every file against the manifest.
  const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as { scope: string; dataResidency: string; counts: Record<string, number>; files: { path: string; sha256: string }[] };
  expect(manifest).toMatchObject({ scope: "workspace", dataResidency: "eu" });
  expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f) => f.path), "manifest.json"].sort());
  for (const f of manifest.files) expect(createHash("sha256").update(files[f.path]!).digest("hex"), f.path).toBe(f.sha256);

  // The known conversation, the meeting's decision, the document byte for byte, the settings as changed.
  expect(jsonl(files, "messages.jsonl").some((m) => String(m.content).includes(marker))).toBe(true);
  const decisions = jsonl(files, "meeting-decisions.jsonl").filter((d) => d.meetingId === meeting.id);
  expect(decisions).toHaveLength(1);
  expect(String(decisions[0]!.decision).length).toBeGreaterThan(0);
  expect(jsonl(files, "meetings.jsonl").find((m) => m.id === meeting.id)).toMatchObject({ title: `Pricing ${marker}`, status: "completed" });
  const doc = jsonl(files, "documents.jsonl").find((d) => d.filename === "board pack.md");
  expect(doc).toBeDefined();
  expect(Buffer.from(files[`documents/${String(doc!.id)}/board pack.md`]!).equals(original)).toBe(true);
  const settings = JSON.parse(strFromU8(files["settings.json"]!)) as { privacy: { telemetryEnabled: boolean; dataResidency: string; retentionDays: Record<string, number | null> } };
  expect(settings.privacy).toEqual({ telemetryEnabled: false, dataResidency: "eu", retentionDays: { conversations: 30, meetings: 60, tasks: 90, documents: 180, llmCalls: 7, audit: 400 } });
  expect(strFromU8(files["provider-keys.jsonl"]!)).not.toMatch(/secret|ciphertext/i);

  // A tampered link is refused with a localised reason, not served.
  const [ready] = await dataOf<{ id: string }[]>(await trpc.query(page.request, "dataExport.list", { tenantSlug: ws.slug }));
  const { url } = await dataOf<{ url: string }>(await trpc.mutation(page.request, "dataExport.link", { tenantSlug: ws.slug, exportId: ready!.id }));
  const tampered = await page.request.get(url.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === "0" ? "1" : "0"}`));
  expect(tampered.status()).toBe(403);
  expect(await tampered.json()).toMatchObject({ error: { reason: "exportLinkInvalid" } });
});
