import { expect, it } from "vitest";
it("imports", async () => {
  const { appRouter } = await import("~/server/api/root");
  console.log(Object.keys(appRouter._def.procedures), process.env.DATABASE_URL);
  const { db } = await import("~/server/db/client");
  expect(await db.user.count()).toBe(0);
});
