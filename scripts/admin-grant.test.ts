/**
 * `npm run admin:grant` as a real child process against the test database: the
 * first platform admin is made from the command line, audited as SYSTEM on the
 * platform chain; refusals exit 1, usage errors 2.
 */
import { describe, expect, it } from "vitest";
import { runScript } from "../tests/support/run-script";
import { createUser } from "../prisma/factories";
import { db } from "~/server/db/client";

const run = (args: string[]) => runScript("admin-grant.ts", args);

describe("npm run admin:grant", () => {
  it("makes a verified account a platform admin, audited as SYSTEM with the reason; a second run changes nothing", async () => {
    const user = await createUser();
    const first = await run([user.email.toUpperCase(), "--reason", "First admin of the install"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${user.email} is now a platform admin`);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { isPlatformAdmin: true } })).toEqual({ isPlatformAdmin: true });
    const events = await db.auditEvent.findMany({ where: { action: "user.platform_admin_granted", targetId: user.id } });
    expect(events).toEqual([expect.objectContaining({ chain: "platform", actorType: "SYSTEM", actorId: null, metadata: { reason: "First admin of the install" } })]);

    const again = await run([user.email]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already a platform admin");
    expect(await db.auditEvent.count({ where: { action: "user.platform_admin_granted", targetId: user.id } })).toBe(1);
  }, 120_000);

  it("exit 1 for an unknown or unverified account, 2 on usage errors; nothing is granted", async () => {
    const unverified = await createUser({ emailVerified: false });
    const unknown = await run(["nobody-here@example.test"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no account with the email nobody-here@example.test");
    const refused = await run([unverified.email]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("refused (accountUnverified)");
    expect((await run([])).code).toBe(2);
    expect((await run(["not-an-email"])).code).toBe(2);
    expect((await run([unverified.email, "--reason", "x"])).code).toBe(2);
    expect((await run(["--bogus"])).code).toBe(2);
    expect(await db.user.findUniqueOrThrow({ where: { id: unverified.id }, select: { isPlatformAdmin: true } })).toEqual({ isPlatformAdmin: false });
  }, 120_000);
});
