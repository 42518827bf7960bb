import { describe, expect, it } from "vitest";
import { createTenant, createUser } from "../../../../prisma/factories";
import { metricValue } from "../../../../tests/support/prometheus-text";
import { db } from "~/server/db/client";
import { appendAuditEvent, PLATFORM_CHAIN, recordAudit, verifyAuditChain } from "./audit";
import { GENESIS_HASH } from "./hash";

const failuresFor = (action: string) => metricValue("ocsuite_audit_write_failures_total", { ocsuite_audit_action: action });

describe("audit chain", () => {
  it("chains events per tenant: seq 1..n and prevHash links", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const actor = await createUser();
    for (let i = 0; i < 3; i++) {
      await appendAuditEvent({ tenantId: a.id, actorId: actor.id, actorType: "USER", action: `a.${i}`, metadata: { i } });
      await appendAuditEvent({ tenantId: b.id, actorId: actor.id, actorType: "USER", action: `b.${i}` });
    }
    for (const t of [a, b]) {
      const rows = await db.auditEvent.findMany({ where: { chain: t.id }, orderBy: { seq: "asc" } });
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
      expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
      expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
      expect(new Set(rows.map((r) => r.hash)).size).toBe(3);
      expect(await verifyAuditChain(t.id)).toEqual({ chain: t.id, checked: 3, ok: true, firstBrokenSeq: null, firstBrokenId: null });
    }
  });

  it("events without a tenant go to the platform chain", async () => {
    const ev = await appendAuditEvent({ actorType: "SYSTEM", action: "system.test" });
    expect(ev.chain).toBe(PLATFORM_CHAIN);
    expect(ev.tenantId).toBeNull();
    expect((await verifyAuditChain(PLATFORM_CHAIN)).ok).toBe(true);
  });

  it("verifies an empty chain as ok", async () => {
    expect(await verifyAuditChain("no-such-chain")).toMatchObject({ ok: true, checked: 0 });
  });

  it("the table rejects UPDATE and DELETE (trigger)", async () => {
    const t = await createTenant();
    const ev = await appendAuditEvent({ tenantId: t.id, actorType: "SYSTEM", action: "x.created" });
    await expect(db.$executeRaw`UPDATE "AuditEvent" SET "action" = 'x.forged' WHERE "id" = ${ev.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${ev.id}`).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.update({ where: { id: ev.id }, data: { action: "x.forged" } })).rejects.toThrow();
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id: ev.id } })).action).toBe("x.created");
  });

  it("detects tampering that bypasses the trigger and reports the first broken seq", async () => {
    const t = await createTenant();
    for (let i = 1; i <= 5; i++) await appendAuditEvent({ tenantId: t.id, actorType: "USER", action: `step.${i}` });
    expect((await verifyAuditChain(t.id)).ok).toBe(true);
    const target = await db.auditEvent.findUniqueOrThrow({ where: { chain_seq: { chain: t.id, seq: 3 } } });

    // Test-only: what an attacker with table-owner rights could do. One
    // transaction so no other test's write can slip in while the trigger is off.
    await db.$transaction([
      db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete`),
      db.$executeRaw`UPDATE "AuditEvent" SET "action" = 'step.forged' WHERE "id" = ${target.id}`,
      db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete`),
    ]);

    expect(await verifyAuditChain(t.id)).toEqual({ chain: t.id, checked: 2, ok: false, firstBrokenSeq: 3, firstBrokenId: target.id });
    // The trigger is back on.
    await expect(db.$executeRaw`UPDATE "AuditEvent" SET "action" = 'again' WHERE "id" = ${target.id}`).rejects.toThrow(/append-only/);
  });

  it("20 concurrent appends to one chain produce a gapless, valid chain", async () => {
    const t = await createTenant();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEvent({ tenantId: t.id, actorType: "USER", action: `burst.${i}` })));
    expect(results.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAuditChain(t.id)).toMatchObject({ ok: true, checked: 20 });
  });

  it("recordAudit never throws: a failing insert resolves and is counted", async () => {
    const action = `audit.failure.${Date.now()}`;
    const before = await failuresFor(action);
    const countBefore = await db.auditEvent.count();
    await expect(recordAudit({ actorType: "NOT_AN_ACTOR" as never, action })).resolves.toBeUndefined();
    expect(await failuresFor(action)).toBe(before + 1);
    expect(await db.auditEvent.count()).toBe(countBefore);
  });

  it("recordAudit writes the event when the insert succeeds", async () => {
    const t = await createTenant();
    await recordAudit({ tenantId: t.id, actorType: "SYSTEM", action: "ok.recorded", meta: { ip: "1.2.3.4", userAgent: "ua" } });
    expect(await db.auditEvent.findFirstOrThrow({ where: { chain: t.id } })).toMatchObject({ action: "ok.recorded", ip: "1.2.3.4", userAgent: "ua", seq: 1 });
  });
});
