import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, tenantCtxOf, TEST_META } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { openSupportSession } from "~/server/services/support/sessions";
import { appendAuditEvent } from "./audit";
import { exportTenantAudit, listTenantAudit } from "./tenant-audit";

/** Two tenants with their own events, and a platform event. */
const setup = async () => {
  const a = await createTenantWithMembers();
  const b = await createTenantWithMembers();
  for (let i = 1; i <= 3; i++) await appendAuditEvent({ tenantId: a.tenant.id, actorId: a.owner.id, actorType: "USER", action: `member.step_${i}`, meta: TEST_META });
  await appendAuditEvent({ tenantId: a.tenant.id, actorId: a.admin.id, actorType: "USER", action: "provider_credential.created", metadata: { label: "Main" } });
  await appendAuditEvent({ tenantId: b.tenant.id, actorId: b.owner.id, actorType: "USER", action: "member.secret_of_b" });
  await appendAuditEvent({ actorType: "SYSTEM", action: "platform.thing" });
  return { a, b, ownerCtx: tenantCtxOf(a.tenant, a.owner, "OWNER") };
};

describe("tenant audit trail: list", () => {
  it("shows only the tenant's own chain, newest first, with cursor paging", async () => {
    const fx = await setup();
    const page1 = await listTenantAudit(fx.ownerCtx, { take: 3 });
    expect(page1.items.map((e) => e.action)).toEqual(["provider_credential.created", "member.step_3", "member.step_2"]);
    expect(page1.nextCursor).toBe(2);
    const page2 = await listTenantAudit(fx.ownerCtx, { take: 3, cursor: page1.nextCursor! });
    expect(page2.items.map((e) => e.action)).toEqual(["member.step_1"]);
    expect(page2.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items];
    expect(all.some((e) => e.action === "member.secret_of_b" || e.action === "platform.thing")).toBe(false);
    expect(all[0]).toMatchObject({ actorEmail: fx.a.admin.email, actorType: "USER", metadata: { label: "Main" } });
    // And the other way round.
    const bEvents = await listTenantAudit(tenantCtxOf(fx.b.tenant, fx.b.owner, "OWNER"), {});
    expect(bEvents.items.map((e) => e.action)).toEqual(["member.secret_of_b"]);
  });

  it("filters by action prefix, actor and time", async () => {
    const fx = await setup();
    expect((await listTenantAudit(fx.ownerCtx, { action: "member." })).items).toHaveLength(3);
    expect((await listTenantAudit(fx.ownerCtx, { actor: fx.a.admin.email.toUpperCase() })).items.map((e) => e.action)).toEqual(["provider_credential.created"]);
    // An actor that exists only in another tenant matches nothing here.
    expect((await listTenantAudit(fx.ownerCtx, { actor: fx.b.owner.email })).items).toEqual([]);
    expect((await listTenantAudit(fx.ownerCtx, { actor: "nobody-at-all@nowhere.test" })).items).toEqual([]);
    expect((await listTenantAudit(fx.ownerCtx, { from: new Date(Date.now() + 60_000) })).items).toEqual([]);
    // The five searches above are events of the chain too (audit.viewed); the setup's four are the rest.
    const byUsers = (await listTenantAudit(fx.ownerCtx, { to: new Date(Date.now() + 60_000), actorType: "USER" })).items;
    expect(byUsers.filter((e) => e.action !== "audit.viewed")).toHaveLength(4);
    expect(byUsers.filter((e) => e.action === "audit.viewed")).toHaveLength(5);
  });

  it("a search is itself audited as audit.viewed with its filter, once per search and not per page", async () => {
    const fx = await setup();
    const page1 = await listTenantAudit(fx.ownerCtx, { take: 2, action: "member.", actor: fx.a.owner.email });
    // Recorded after the query: the page does not list its own view.
    expect(page1.items.map((e) => e.action)).toEqual(["member.step_3", "member.step_2"]);
    await listTenantAudit(fx.ownerCtx, { take: 2, action: "member.", actor: fx.a.owner.email, cursor: page1.nextCursor! });
    const views = await db.auditEvent.findMany({ where: { chain: fx.a.tenant.id, action: "audit.viewed" } });
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({
      actorId: fx.a.owner.id,
      actorType: "USER",
      result: "SUCCESS",
      metadata: { filter: { action: "member.", actor: fx.a.owner.email, actorType: null, from: null, to: null } },
    });
    // Nothing lands on another tenant's chain.
    expect(await db.auditEvent.count({ where: { chain: fx.b.tenant.id, action: "audit.viewed" } })).toBe(0);
  });

  it("shows support sessions with the staff member and reason, without staff network details", async () => {
    const fx = await setup();
    const admin = await createUser({ isPlatformAdmin: true, name: "Sam Support" });
    await openSupportSession({ userId: admin.id, meta: { ip: "10.9.8.7", userAgent: "staff-browser" } }, { tenantId: fx.a.tenant.id, reason: "Investigating ticket 99 for the owner", durationMinutes: 5 });
    const [ev] = (await listTenantAudit(fx.ownerCtx, { action: "support_session." })).items;
    expect(ev).toMatchObject({ actorType: "PLATFORM_ADMIN", actorEmail: admin.email, actorName: "Sam Support", ip: null, metadata: { reason: "Investigating ticket 99 for the owner" } });
    expect((await listTenantAudit(fx.ownerCtx, { actorType: "PLATFORM_ADMIN" })).items).toHaveLength(1);
  });

  it("audit.list and audit.verify take ADMIN; members and outsiders are refused", async () => {
    const fx = await setup();
    await expect(callerFor(fx.a.admin).audit.list({ tenantSlug: fx.a.tenant.slug })).resolves.toMatchObject({ items: expect.any(Array) });
    await expect(callerFor(fx.a.member).audit.list({ tenantSlug: fx.a.tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(fx.b.owner).audit.list({ tenantSlug: fx.a.tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The setup's four events and the admin's search above (audit.viewed).
    await expect(callerFor(fx.a.owner).audit.verify({ tenantSlug: fx.a.tenant.slug })).resolves.toEqual({ ok: true, checked: 5, firstBrokenSeq: null });
  });
});

describe("tenant audit trail: verify", () => {
  it("detects a tampered event and reports its seq", async () => {
    const fx = await setup();
    const target = await db.auditEvent.findUniqueOrThrow({ where: { chain_seq: { chain: fx.a.tenant.id, seq: 2 } } });
    // Test-only: what someone with table-owner rights could do. One transaction so
    // no other test's write can slip in while the append-only trigger is off.
    await db.$transaction([
      db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete`),
      db.$executeRaw`UPDATE "AuditEvent" SET "metadata" = '{"forged":true}'::jsonb WHERE "id" = ${target.id}`,
      db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete`),
    ]);
    await expect(callerFor(fx.a.admin).audit.verify({ tenantSlug: fx.a.tenant.slug })).resolves.toEqual({ ok: false, checked: 1, firstBrokenSeq: 2 });
    // The other tenant's chain is untouched.
    await expect(callerFor(fx.b.owner).audit.verify({ tenantSlug: fx.b.tenant.slug })).resolves.toEqual({ ok: true, checked: 1, firstBrokenSeq: null });
  });
});

describe("tenant audit trail: export", () => {
  it("CSV: one row per event, RFC 4180 quoting, formula cells neutralised; the export is audited", async () => {
    const fx = await setup();
    await appendAuditEvent({ tenantId: fx.a.tenant.id, actorId: fx.a.owner.id, actorType: "USER", action: "=HYPERLINK(\"http://evil\")", targetId: "+1,2", metadata: { note: 'say "hi"\nbye' } });
    const out = await exportTenantAudit(fx.ownerCtx, { format: "csv", filter: {} });
    expect(out.contentType).toBe("text/csv; charset=utf-8");
    expect(out.count).toBe(5);
    const lines = out.body.split("\r\n");
    expect(lines[0]).toBe("seq,createdAt,actorType,actorEmail,actorName,action,targetType,targetId,result,ip,metadata");
    // The injected event is the newest: first data row. Formula prefix ', quotes doubled, comma/newline quoted.
    expect(out.body).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(out.body).toContain(`,"'+1,2",`);
    expect(out.body).toContain(`"{""note"":""say \\""hi\\""\\nbye""}"`);
    expect(out.body).not.toContain("member.secret_of_b");
    const exported = await db.auditEvent.findFirstOrThrow({ where: { chain: fx.a.tenant.id, action: "audit.exported" } });
    expect(exported).toMatchObject({ actorId: fx.a.owner.id, actorType: "USER" });
    expect(exported.metadata).toMatchObject({ format: "csv", count: 5 });
  });

  it("JSON: the filtered events of the tenant only", async () => {
    const fx = await setup();
    const out = await exportTenantAudit(fx.ownerCtx, { format: "json", filter: { action: "member." } });
    const parsed = JSON.parse(out.body) as { tenant: string; events: { action: string }[] };
    expect(parsed.tenant).toBe(fx.a.tenant.slug);
    expect(parsed.events.map((e) => e.action)).toEqual(["member.step_3", "member.step_2", "member.step_1"]);
  });
});
