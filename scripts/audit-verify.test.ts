/**
 * `npm run audit:verify` as a real child process against the test database:
 * exit 0 on intact chains, 1 (and the first broken link printed) when one
 * stored event was changed behind the append-only trigger's back, 2 on usage
 * errors.
 */
import { describe, expect, it } from "vitest";
import { runScript } from "../tests/support/run-script";
import { createTenant } from "../prisma/factories";
import { db } from "~/server/db/client";
import { appendAuditEvent } from "~/server/services/audit/audit";

const run = (args: string[]) => runScript("audit-verify.ts", args);

describe("npm run audit:verify", () => {
  it("exit 0 for an intact tenant chain (by slug or id), 1 with the first broken link once an event is tampered with", async () => {
    const t = await createTenant();
    for (let i = 1; i <= 4; i++) await appendAuditEvent({ tenantId: t.id, actorType: "USER", action: `cli.step_${i}` });

    const intact = await run(["--tenant", t.slug]);
    expect(intact.stderr).toBe("");
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`ok      tenant ${t.slug} (${t.id}): 4 events`);

    const target = await db.auditEvent.findUniqueOrThrow({ where: { chain_seq: { chain: t.id, seq: 3 } } });
    // Test-only tampering, bypassing the append-only trigger in one transaction.
    await db.$transaction([
      db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete`),
      db.$executeRaw`UPDATE "AuditEvent" SET "action" = 'cli.forged' WHERE "id" = ${target.id}`,
      db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete`),
    ]);

    const broken = await run([`--tenant=${t.id}`]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN  tenant ${t.slug} (${t.id}): first broken link at seq 3 (event ${target.id}); 2 events before it verified`);

    // --all includes it too (and still fails).
    const all = await run(["--all"]);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`BROKEN  tenant ${t.slug}`);
    expect(all.stdout).toMatch(/^(ok {6}|BROKEN {2})platform: /m);
  }, 120_000);

  it("exit 2 on usage errors and unknown tenants", async () => {
    const unknown = await run(["--tenant", "no-such-tenant-anywhere"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no tenant with id or slug "no-such-tenant-anywhere"');
    const bad = await run(["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown argument: --bogus");
  }, 120_000);
});
