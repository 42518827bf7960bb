/**
 * Cloud mode: the app's serve handler only accepts signed call requests. An
 * executor with the signing key runs the function; one without it is refused
 * (401) and the run fails after its attempts.
 */
import { Inngest } from "inngest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { runOf, startApp, startExecutor } from "./testing/harness";

const signingKey = "signkey-test-" + "ab".repeat(32);
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const options = { id: "signed", isDev: false, signingKey, eventKey: "test-event-key", logger: quiet } as {
  id: string;
  isDev: boolean;
  signingKey: string;
  eventKey: string;
  logger: typeof quiet;
  baseUrl?: string;
};
const client = new Inngest(options);
const fn = client.createFunction({ id: "signed-fn", retries: 0, triggers: [{ event: "t/signed" }] }, async ({ step }) =>
  step.run("work", () => "signed ok"),
);

let app: Awaited<ReturnType<typeof startApp>>;
let signed: Awaited<ReturnType<typeof startExecutor>>;

beforeAll(async () => {
  app = await startApp(client, [fn]);
  signed = await startExecutor({ db, signingKey, appUrls: [app.url] });
  options.baseUrl = signed.url;
});
afterAll(async () => {
  await signed?.close();
  await app?.close();
});

it("signs sync and call requests with X-Inngest-Signature", async () => {
  const { ids } = await client.send({ name: "t/signed", data: {} });
  const run = await signed.executor.waitForRun((await runOf(db, ids[0]!, "signed-signed-fn")).id);
  expect(run).toMatchObject({ status: "COMPLETED", output: "signed ok" });
});

it("is refused by a cloud-mode app when it has no signing key", async () => {
  await expect(fetch(app.url, { method: "PUT", headers: { "x-inngest-sync-kind": "in_band" }, body: JSON.stringify({ url: app.url }) })).resolves.toMatchObject({
    status: 401,
  });
  await signed.close(); // one executor at a time drives the queue
  const unsigned = await startExecutor({ db }); // reuses the synced config stored in Postgres
  try {
    const [id] = await unsigned.executor.send({ name: "t/signed", data: {} });
    const run = await unsigned.executor.waitForRun((await runOf(db, id!, "signed-signed-fn")).id);
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatchObject({ message: "Unauthorized" });
  } finally {
    await unsigned.close();
  }
});
