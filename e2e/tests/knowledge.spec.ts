import { expect, test, type Page } from "@playwright/test";
import { makeMarkdown, makePdf, PNG_BYTES } from "../../tests/support/sample-files";
import { createWorkspace, signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

test.use(perFileClientIp());

// Upload → background ingestion (the local Inngest executor of `npm start`) →
// a grounded answer on the offline model that cites the passage → delete →
// no longer cited. Real files, made by tests/support/sample-files.ts.

const CFO = "Chief Financial Officer";
const READY_TIMEOUT = 60_000;
const ANSWER_TIMEOUT = 30_000;
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const HOTEL = "Hotel stays on business trips are reimbursed up to 150 euros per night, breakfast included.";
const travelPolicyPdf = async () =>
  Buffer.from(await makePdf({ pages: [`${HOTEL} Flights shorter than six hours are booked in economy class.`, "Expense reports are due within thirty days of the trip."] }));
const handbookMarkdown = () =>
  Buffer.from(
    makeMarkdown({
      title: "Office handbook",
      sections: [
        { heading: "Pets", text: "Calm dogs are welcome in the office on Fridays." },
        { heading: "Quiet rooms", text: "Quiet rooms are booked through the reception desk." },
      ],
    }),
  );

const fileInput = (page: Page) => page.getByLabel("Files to upload");
const uploadItem = (page: Page, name: string) => page.getByTestId("upload-item").filter({ has: page.getByText(name, { exact: true }) });
const documentRow = (page: Page, title: string) => page.getByTestId("document-row").filter({ has: page.getByText(title, { exact: true }) });
const lastAnswer = (page: Page) => page.getByTestId("assistant-message").last();

const askCfo = async (page: Page, slug: string, question: string) => {
  await page.goto(`/en/t/${slug}/chat`);
  await page.getByRole("radio", { name: new RegExp(CFO) }).check();
  const composer = page.getByLabel(`Message to the ${CFO}`);
  await composer.fill(question);
  await composer.press("Enter");
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "complete", { timeout: ANSWER_TIMEOUT });
  return answer;
};

test("upload two files → ready → the CFO's answer cites the passage → delete → no longer cited", { tag: "@critical" }, async ({ page }) => {
  await signUpAndSignIn(page.request, "knowledge", "Kim Knowledge");
  const ws = await createWorkspace(page.request, `Knowledge ${unique()}`);

  await page.goto(`/en/t/${ws.slug}/knowledge`);
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Knowledge", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("No documents yet.", { exact: false })).toBeVisible();
  // The visible button opens the same input the test fills.
  await expect(page.getByRole("button", { name: "Choose files" })).toBeVisible();

  await fileInput(page).setInputFiles([
    { name: "Travel policy.pdf", mimeType: "application/pdf", buffer: await travelPolicyPdf() },
    { name: "Office handbook.md", mimeType: "text/markdown", buffer: handbookMarkdown() },
  ]);
  for (const name of ["Travel policy.pdf", "Office handbook.md"]) {
    await expect(uploadItem(page, name)).toHaveAttribute("data-phase", "done");
    await expect(uploadItem(page, name)).toContainText("Uploaded — processing");
  }
  await expect(page.getByTestId("upload-announcements")).toContainText("Travel policy.pdf uploaded; it is being processed.");

  // Ingestion runs in the background; the list polls until both are ready.
  for (const title of ["Travel policy", "Office handbook"]) {
    await expect(documentRow(page, title).getByTestId("document-status")).toHaveAttribute("data-status", "ready", { timeout: READY_TIMEOUT });
  }
  const pdfRow = documentRow(page, "Travel policy");
  await expect(pdfRow).toContainText("PDF");
  await expect(pdfRow).toContainText("Kim Knowledge");
  await expect(pdfRow.getByRole("cell").nth(3)).toHaveText("2");
  await expect(page.getByTestId("storage-usage")).toContainText("2 documents");
  await expectAccessible(page);

  // A grounded answer: the offline model quotes the passage and cites it.
  const answer = await askCfo(page, ws.slug, "What is the hotel limit per night on business trips?");
  await expect(answer).toContainText("150 euros per night");
  const marker = answer.getByRole("button", { name: "Source 1: Travel policy, p. 1" }).first();
  await expect(marker).toHaveText("[Travel policy, p. 1]");
  await expect(answer.getByTestId("sources")).toContainText("Sources");
  await expect(answer.getByRole("button", { name: /Office handbook/ })).toHaveCount(0);

  await marker.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Travel policy" })).toBeVisible();
  await expect(dialog).toContainText("Source 1 · Page 1");
  await expect(dialog.getByTestId("citation-passage")).toContainText(HOTEL);
  await expect(dialog.getByRole("link", { name: "Download the original" })).toHaveAttribute("href", new RegExp(`/api/t/${ws.slug}/documents/[^/]+/original$`));
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(marker).toBeFocused();

  // Delete the cited document; a new question no longer cites it.
  await page.goto(`/en/t/${ws.slug}/knowledge`);
  await page.getByRole("button", { name: "Delete “Travel policy”" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete document" }).click();
  await expect(documentRow(page, "Travel policy")).toHaveCount(0);
  await expect(documentRow(page, "Office handbook")).toHaveCount(1);

  const after = await askCfo(page, ws.slug, "What is the hotel limit per night on business trips?");
  await expect(after).toContainText("I found no documents");
  await expect(after.getByTestId("citation")).toHaveCount(0);
  await expect(after.getByTestId("sources")).toHaveCount(0);
});

test("a file that is not what its name says is refused with a clear error; the rest of the batch uploads; re-uploads are recognised", async ({ page }) => {
  await signUpAndSignIn(page.request, "knowledge-bad", "Kai Upload");
  const ws = await createWorkspace(page.request, `Uploads ${unique()}`);
  await page.goto(`/en/t/${ws.slug}/knowledge`);

  await fileInput(page).setInputFiles([
    { name: "report.pdf", mimeType: "application/pdf", buffer: Buffer.from(PNG_BYTES) },
    { name: "Office handbook.md", mimeType: "text/markdown", buffer: handbookMarkdown() },
  ]);
  const bad = uploadItem(page, "report.pdf");
  await expect(bad).toHaveAttribute("data-phase", "error");
  await expect(bad.getByTestId("upload-error")).toHaveAttribute("data-reason", "unsupportedFileType");
  await expect(bad).toContainText("This file type is not supported. Upload a PDF, Word (.docx), Markdown, plain text, CSV or HTML file.");
  await expect(bad.getByRole("button", { name: "Retry uploading report.pdf" })).toBeVisible();
  await expect(uploadItem(page, "Office handbook.md")).toContainText("Uploaded — processing");
  await expect(page.getByTestId("upload-announcements")).toContainText("report.pdf was not uploaded.");
  await expect(documentRow(page, "Office handbook")).toHaveCount(1);
  await expect(documentRow(page, "report")).toHaveCount(0);

  // The same content again: recognised, linked to the existing document, not stored twice.
  await fileInput(page).setInputFiles([{ name: "handbook-copy.md", mimeType: "text/markdown", buffer: handbookMarkdown() }]);
  const copy = uploadItem(page, "handbook-copy.md");
  await expect(copy).toContainText("Already in your knowledge base.");
  await expect(copy.getByRole("link", { name: "Show the existing document" })).toHaveAttribute("href", /^#document-/);
  await expect(page.getByTestId("document-row")).toHaveCount(1);
  await expectAccessible(page);
});

test("a viewer sees the documents but cannot upload; the upload route refuses them too", async ({ page }) => {
  await signInWithApi(page.request, demo("VIEWER"));
  await page.goto(`/en/t/${DEMO_TENANT.slug}/knowledge`);
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();
  await expect(page.getByText("Your role lets you read the documents but not add or delete them.", { exact: false })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Documents" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Choose files" })).toHaveCount(0);
  await expect(page.getByLabel("Files to upload")).toHaveCount(0);

  const res = await page.request.post(`/api/t/${DEMO_TENANT.slug}/documents`, {
    headers: { "content-type": "application/octet-stream", "x-filename": "notes.md", origin: new URL(page.url()).origin },
    data: handbookMarkdown(),
  });
  expect(res.status()).toBe(403);
});
