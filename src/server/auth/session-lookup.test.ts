import { expect, it } from "vitest";
import { noteSessionLookupFailure, readSession } from "./session-lookup";

it("answers 503 (not 'signed out') when the Session row could not be read", async () => {
  const read = readSession(async () => {
    await Promise.resolve();
    noteSessionLookupFailure(new Error("Can't reach database server"));
    return null;
  });
  await expect(read).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "sessionStoreUnavailable", httpStatus: 503 });
  await expect(readSession(async () => ({ user: { id: "u1" } }))).resolves.toEqual({ user: { id: "u1" } });
  // Outside a read there is no one to tell: nothing happens.
  expect(() => noteSessionLookupFailure(new Error("x"))).not.toThrow();
});
