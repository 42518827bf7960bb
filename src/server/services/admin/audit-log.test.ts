import { describe, expect, it } from "vitest";
import { createTenant, createUser } from "../../../../prisma/factories";
import { appendAuditEvent } from "../audit/audit";
import { auditCsvHeader, auditCsvRow, auditEventsForExport, csvField, csvRecord, listAuditEvents } from "./audit-log";

describe("csvField (RFC 4180, formula-safe)", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\r\nlines", '"two\r\nlines"'],
    ["line\nfeed", '"line\nfeed"'],
    ["=HYPERLINK(\"http://evil\")", '"\'=HYPERLINK(""http://evil"")"'],
    ["+1+2", "'+1+2"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it("writes null as empty, dates as ISO and objects as JSON; records end with CRLF", () => {
    expect(csvRecord([null, undefined, 3, new Date("2030-01-02T03:04:05.000Z"), { a: "x,y" }])).toBe(',,3,2030-01-02T03:04:05.000Z,"{""a"":""x,y""}"\r\n');
  });
});

describe("listAuditEvents", () => {
  it("filters by tenant slug, actor email, action prefix and time; pages newest first with a cursor", async () => {
    const tenant = await createTenant();
    const actor = await createUser();
    const bystander = await createUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await appendAuditEvent({ tenantId: tenant.id, actorId: actor.id, actorType: "USER", action: `member.test_${i}` })).id);
      // Distinct timestamps, so the time filters below have a clean cut.
      await new Promise((r) => setTimeout(r, 5));
    }
    await appendAuditEvent({ tenantId: tenant.id, actorId: bystander.id, actorType: "USER", action: "member.other" });
    await appendAuditEvent({ tenantId: tenant.id, actorId: actor.id, actorType: "USER", action: "settings.changed" });

    const first = await listAuditEvents({ tenant: tenant.slug, actor: actor.email.toUpperCase(), action: "member.", take: 2 });
    expect(first.items.map((e) => e.action)).toEqual(["member.test_4", "member.test_3"]);
    expect(first.items[0]).toMatchObject({ tenantSlug: tenant.slug, actorEmail: actor.email, chain: tenant.id });
    const second = await listAuditEvents({ tenant: tenant.id, actor: actor.email, action: "member.", take: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.action)).toEqual(["member.test_2", "member.test_1"]);
    const third = await listAuditEvents({ tenant: tenant.slug, actor: actor.email, action: "member.", take: 2, cursor: second.nextCursor! });
    expect(third.items.map((e) => e.action)).toEqual(["member.test_0"]);
    expect(third.nextCursor).toBeNull();

    const all = await listAuditEvents({ tenant: tenant.slug, take: 50 });
    expect(all.items).toHaveLength(7);
    const after = all.items.find((e) => e.action === "member.test_2")!.createdAt;
    const recent = await listAuditEvents({ tenant: tenant.slug, action: "member.test", from: after, take: 50 });
    expect(recent.items.map((e) => e.id).sort()).toEqual(ids.slice(2).sort());
    const older = await listAuditEvents({ tenant: tenant.slug, action: "member.test", to: new Date(after.getTime() - 1), take: 50 });
    expect(older.items.map((e) => e.id).sort()).toEqual(ids.slice(0, 2).sort());
  });

  it("an unknown tenant or actor matches nothing rather than everything", async () => {
    await expect(listAuditEvents({ tenant: "no-such-workspace", take: 5 })).resolves.toEqual({ items: [], nextCursor: null });
    await expect(listAuditEvents({ actor: "nobody@nowhere.test", take: 5 })).resolves.toEqual({ items: [], nextCursor: null });
  });

  it("'platform' selects the platform chain", async () => {
    const actor = await createUser();
    await appendAuditEvent({ actorId: actor.id, actorType: "PLATFORM_ADMIN", action: "admin.test_platform" });
    const res = await listAuditEvents({ tenant: "platform", actor: actor.email, take: 5 });
    expect(res.items).toEqual([expect.objectContaining({ chain: "platform", tenantId: null, action: "admin.test_platform" })]);
  });
});

describe("auditEventsForExport", () => {
  it("streams every matching event across pages, as CRLF-terminated CSV rows", async () => {
    const tenant = await createTenant();
    for (let i = 0; i < 7; i++) {
      await appendAuditEvent({ tenantId: tenant.id, actorType: "SYSTEM", action: `export.test_${i}`, metadata: { note: i === 3 ? '=cmd|" /C calc"!A0' : `n${i}` } });
    }
    const rows = [];
    for await (const e of auditEventsForExport({ tenant: tenant.slug }, 3)) rows.push(e);
    expect(rows.map((e) => e.action)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `export.test_${i}`));
    const csv = auditCsvHeader() + rows.map(auditCsvRow).join("");
    expect(csv.split("\r\n")).toHaveLength(1 + 7 + 1);
    expect(csv.startsWith("id,createdAt,chain,seq,tenantId,tenantSlug,")).toBe(true);
    // JSON metadata starts with "{", so it is quoted for its quotes, never run as a formula.
    expect(csv).toContain('"{""note"":""=cmd|\\"" /C calc\\""!A0""}"');
  });
});
