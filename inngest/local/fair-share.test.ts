/**
 * Fair share between tenants: a tenant-scoped function (concurrency limit 1
 * per event.data.tenantId, one ~50 ms step) gets a burst of 200 events for
 * tenant A — more than the executor's candidate window — then 3 for tenant B.
 * B's runs must not wait for A's burst to drain: they all finish before A's
 * 50th run does (with strict FIFO, or the old fixed candidate window, they
 * finished after about A's 200th). 50 rather than 10 leaves room for event
 * intake on the embedded database, where A's first runs complete while B's
 * events are still being accepted.
 */
import { Inngest } from "inngest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { runOf, startApp, startExecutor } from "./testing/harness";

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const options = { id: "fair", isDev: true, logger: quiet } as { id: string; isDev: boolean; logger: typeof quiet; baseUrl?: string };
const client = new Inngest(options);

const work = client.createFunction(
  { id: "tenant-work", concurrency: [{ key: "event.data.tenantId", limit: 1 }], triggers: [{ event: "t/tenant-work" }] },
  async ({ event, step }) => {
    await step.run("work", async () => {
      await new Promise((r) => setTimeout(r, 50));
      return event.data.n as number;
    });
    return { tenantId: event.data.tenantId as string, n: event.data.n as number };
  },
);

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  app = await startApp(client, [work]);
  exec = await startExecutor({ db, appUrls: [app.url] });
  options.baseUrl = exec.url;
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
});

it("interleaves two tenants: B's runs do not wait for A's burst to drain", async () => {
  const tag = `${Date.now()}`;
  const a = await client.send(Array.from({ length: 200 }, (_, n) => ({ name: "t/tenant-work", data: { tenantId: `A-${tag}`, n } })));
  const b = await client.send(Array.from({ length: 3 }, (_, n) => ({ name: "t/tenant-work", data: { tenantId: `B-${tag}`, n } })));

  const finished = async (ids: string[]) => {
    const out = [];
    for (const id of ids) out.push(await exec.executor.waitForRun((await runOf(db, id, "fair-tenant-work")).id, undefined, 60_000));
    return out;
  };
  const runsB = await finished(b.ids);
  const runsA = await finished(a.ids);
  expect([...runsA, ...runsB].every((r) => r.status === "COMPLETED")).toBe(true);

  // B must be done before A is a quarter of the way through its burst.
  const endA = runsA.map((r) => r.finishedAt!.getTime());
  const endB = runsB.map((r) => r.finishedAt!.getTime());
  const fiftiethA = [...endA].sort((x, y) => x - y)[49]!;
  expect(Math.max(...endB), `B finished at +${Math.max(...endB) - Math.min(...endA)} ms, A's 50th at +${fiftiethA - Math.min(...endA)} ms`).toBeLessThan(fiftiethA);
  // …and B was not simply served first either: A kept running while B ran.
  expect(Math.min(...endA)).toBeLessThan(Math.max(...endB));
}, 180_000);
