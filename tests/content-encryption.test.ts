/**
 * Content columns sealed at rest (ADR 0015) on real PostgreSQL through the app's client: what
 * the table holds (read with raw SQL, as a dump or backup would) is sealed text naming the tenant
 * and nothing of the content; the app reads plain values, nested relations included; a value
 * moved to another row or tenant does not open; after the workspace's data keys are shredded a
 * copy of its rows, restored with its content-key row, cannot be opened.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTenant, createTenantWithMembers, createUser, tenantCtxOf, uid } from "../prisma/factories";
import { getTenant, updateTenantProfile } from "~/server/services/tenancy/tenants";
import { shredTenantKeys } from "~/server/services/key-rotation/shred-tenant-keys";
import { forgetContentKeys, openSealedColumns } from "~/server/db/keys/content-keys";
import { db } from "~/server/db/client";
import { CONTENT_RELATIONS, SEALED_FIELDS } from "~/server/db/content-encryption";

/** One column of one row as stored (text), what a dump of the table shows. */
const stored = async (table: string, column: string, id: string): Promise<string> => {
  // TenantPersona's key is (tenantId, key): its "id" here is "<tenantId>:<key>".
  const key = table === "TenantPersona" ? `"tenantId" || ':' || "key"` : "id";
  const rows = await db.$queryRawUnsafe<{ v: string }[]>(`SELECT "${column}"::text AS v FROM "${table}" WHERE ${key} = $1`, id);
  return rows[0]!.v;
};

const seedMeeting = async (tenantId: string, secret: string) =>
  db.meeting.create({
    data: {
      tenantId,
      title: `Board ${secret}`,
      goal: `Goal ${secret}`,
      agenda: [`Agenda ${secret}`],
      personaKeys: ["ceo", "cfo"],
      chairKey: "ceo",
      rounds: 1,
      turns: { create: [{ tenantId, itemIndex: 0, round: 1, personaKey: "cfo", content: `Turn ${secret}` }] },
      outcomes: { create: { tenantId, itemIndex: 0, decision: `Approve ${secret}`, positions: [{ personaKey: "cfo", stance: "support", rationale: `Why ${secret}` }], dissent: `Dissent ${secret}` } },
    },
    include: { turns: true, outcomes: true },
  });

describe("sealed content columns", () => {
  it("stores every sealed column as the tenant's sealed text and reads it back plain, nested relations included", async () => {
    const tenant = await createTenant();
    const user = await createUser();
    const secret = `acquire-${uid()}`;
    const meeting = await seedMeeting(tenant.id, secret);
    expect(meeting).toMatchObject({ goal: `Goal ${secret}`, agenda: [`Agenda ${secret}`], turns: [{ content: `Turn ${secret}` }], outcomes: [{ dissent: `Dissent ${secret}`, positions: [{ rationale: `Why ${secret}` }] }] });
    const task = await db.task.create({
      data: { tenantId: tenant.id, personaKey: "cfo", title: `Plan ${secret}`, description: `Describe ${secret}`, deliverable: `Deliver ${secret}`, feedback: `Feedback ${secret}`, steps: { create: { tenantId: tenant.id, revision: 1, name: "plan", status: "complete", output: `Output ${secret}` } } },
    });
    const conversation = await db.conversation.create({ data: { tenantId: tenant.id, userId: user.id, personaKey: "cfo", title: `Chat ${secret}` } });
    const message = await db.message.create({ data: { tenantId: tenant.id, conversationId: conversation.id, role: "assistant", content: `Answer ${secret} [1]`, citations: [{ n: 1, text: `Cited ${secret}` }] } });
    const document = await db.document.create({
      data: { tenantId: tenant.id, title: `Plan ${secret}`, filename: `${secret}.txt`, kind: "text", mimeType: "text/plain", sizeBytes: 1, sha256: uid(32), storageKey: "k", status: "ready" },
    });
    const persona = await db.tenantPersona.create({ data: { tenantId: tenant.id, key: "cfo", instructions: `Always mention ${secret}` } });
    const actionItem = await db.actionItem.create({ data: { tenantId: tenant.id, meetingId: meeting.id, itemIndex: 0, ownerPersonaKey: "cfo", description: `Act ${secret}` } });
    const chunk = await db.documentChunk.create({ data: { tenantId: tenant.id, documentId: document.id, ordinal: 0, heading: `Heading ${secret}`, text: `Passage ${secret} reimbursed`, charStart: 0, charEnd: 9 } });

    const columns: [string, string, string][] = [
      ["Conversation", "title", conversation.id],
      ["Document", "title", document.id],
      ["Document", "filename", document.id],
      ["Meeting", "title", meeting.id],
      ["MeetingOutcome", "decision", meeting.outcomes[0]!.id],
      ["ActionItem", "description", actionItem.id],
      ["Task", "title", task.id],
      ...(["Conversation", "Document", "Meeting", "MeetingOutcome", "ActionItem", "Task"] as const).flatMap((t) => {
        const id = { Conversation: conversation.id, Document: document.id, Meeting: meeting.id, MeetingOutcome: meeting.outcomes[0]!.id, ActionItem: actionItem.id, Task: task.id }[t];
        return [[t, "searchIndex", id] as [string, string, string], [t, "searchTsv", id] as [string, string, string]];
      }),
      ["TenantPersona", "instructions", `${persona.tenantId}:${persona.key}`],
      ["Meeting", "goal", meeting.id],
      ["Meeting", "agenda", meeting.id],
      ["MeetingTurn", "content", meeting.turns[0]!.id],
      ["MeetingOutcome", "positions", meeting.outcomes[0]!.id],
      ["MeetingOutcome", "dissent", meeting.outcomes[0]!.id],
      ["Task", "description", task.id],
      ["Task", "deliverable", task.id],
      ["Task", "feedback", task.id],
      ["TaskStep", "output", (await db.taskStep.findFirstOrThrow({ where: { taskId: task.id } })).id],
      ["Message", "content", message.id],
      ["Message", "citations", message.id],
      ["Message", "searchIndex", message.id],
      ["DocumentChunk", "text", chunk.id],
      ["DocumentChunk", "heading", chunk.id],
      ["DocumentChunk", "searchIndex", chunk.id],
      ["DocumentChunk", "tsv", chunk.id],
    ];
    // Every sealed column of the list is exercised here.
    const sealedColumns = columns.filter(([, c]) => !["searchIndex", "searchTsv", "tsv"].includes(c));
    expect(sealedColumns.map(([t, c]) => `${t}.${c}`).sort()).toEqual(Object.entries(SEALED_FIELDS).flatMap(([m, fields]) => Object.keys(fields).map((f) => `${m}.${f}`)).sort());
    for (const [table, column, id] of columns) {
      const value = await stored(table, column, id);
      expect(value, `${table}.${column}`).not.toContain(secret);
      if (sealedColumns.some(([t, c]) => t === table && c === column)) expect(value, `${table}.${column}`).toContain(`occ1.${tenant.id}.`);
    }
    // The blind index: PostgreSQL's positions and weights, no word of the passage, heading or stem.
    const index = await stored("DocumentChunk", "tsv", chunk.id);
    expect(index).toMatch(/^('[\w-]{11}':[0-9AB,]+ ?)+$/);
    expect(index).toContain(":1A");
    expect(index).not.toMatch(/passag|reimburs|head/i);
    expect(await db.documentChunk.findUniqueOrThrow({ where: { id: chunk.id } })).toMatchObject({ heading: `Heading ${secret}`, text: `Passage ${secret} reimbursed` });

    const read = await db.meeting.findUniqueOrThrow({ where: { id: meeting.id }, include: { turns: true, outcomes: true, actionItems: true } });
    expect(read).toMatchObject({ goal: `Goal ${secret}`, agenda: [`Agenda ${secret}`], turns: [{ content: `Turn ${secret}` }], outcomes: [{ positions: [{ stance: "support", rationale: `Why ${secret}` }] }] });
    const viaStep = await db.taskStep.findFirstOrThrow({ where: { taskId: task.id }, include: { task: true } });
    expect(viaStep).toMatchObject({ output: `Output ${secret}`, task: { deliverable: `Deliver ${secret}`, feedback: `Feedback ${secret}` } });
    const viaConversation = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { messages: { select: { citations: true } } } });
    expect(viaConversation.messages[0]!.citations).toEqual([{ n: 1, text: `Cited ${secret}` }]);
    const many = await db.task.findMany({ where: { tenantId: tenant.id }, select: { deliverable: true } });
    expect(many).toEqual([{ deliverable: `Deliver ${secret}` }]);
  });

  it("seals updates that name the tenant, and refuses ones that do not without writing anything", async () => {
    const tenant = await createTenant();
    const task = await db.task.create({ data: { tenantId: tenant.id, personaKey: "cfo", title: "Plan", description: "first" } });
    const updated = await db.task.update({ where: { id: task.id, tenantId: tenant.id }, data: { deliverable: "second draft" } });
    expect(updated.deliverable).toBe("second draft");
    expect(await stored("Task", "deliverable", task.id)).toMatch(/^occ1\./);
    await expect(db.task.update({ where: { id: task.id }, data: { deliverable: "unscoped" } })).rejects.toThrow(/must name the tenant/);
    await expect(db.task.updateMany({ where: { id: task.id }, data: { feedback: { set: "unscoped" } } })).rejects.toThrow(/must name the tenant/);
    // Fields that are not sealed need no tenant; null clears a sealed one.
    await db.task.update({ where: { id: task.id }, data: { status: "running", feedback: null } });
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ deliverable: "second draft", feedback: null, status: "running" });
    // An upsert seals both branches for the tenant it creates for.
    const step = { taskId: task.id, revision: 1, name: "plan" };
    await db.taskStep.upsert({ where: { taskId_revision_name: step }, create: { ...step, tenantId: tenant.id, status: "running", output: "one" }, update: { output: "two" } });
    const again = await db.taskStep.upsert({ where: { taskId_revision_name: step }, create: { ...step, tenantId: tenant.id, status: "running", output: "one" }, update: { output: "two" } });
    expect(again.output).toBe("two");
    expect(await stored("TaskStep", "output", again.id)).toMatch(/^occ1\./);
  });

  it("a value moved to another column or another tenant's row does not open", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const ma = await seedMeeting(a.id, "alpha");
    const mb = await seedMeeting(b.id, "bravo");
    // Another column of the same tenant: the AAD names the column.
    await db.$executeRaw`UPDATE "Meeting" SET "goal" = (SELECT "content" FROM "MeetingTurn" WHERE id = ${ma.turns[0]!.id}) WHERE id = ${ma.id}`;
    await expect(db.meeting.findUniqueOrThrow({ where: { id: ma.id } })).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
    // Another workspace's row: a's value would open under a's key, so a row of b holding it is refused.
    await db.$executeRaw`UPDATE "MeetingTurn" SET "content" = (SELECT "content" FROM "MeetingTurn" WHERE id = ${ma.turns[0]!.id}) WHERE id = ${mb.turns[0]!.id}`;
    expect(await stored("MeetingTurn", "content", mb.turns[0]!.id)).toContain(`occ1.${a.id}.`);
    await expect(db.meetingTurn.findMany({ where: { id: mb.turns[0]!.id, tenantId: b.id } })).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
    // Relabelled as b's: b's key does not open it.
    await db.$executeRaw`UPDATE "MeetingTurn" SET "content" = replace("content", ${`occ1.${a.id}.`}, ${`occ1.${b.id}.`}) WHERE id = ${mb.turns[0]!.id}`;
    await expect(db.meetingTurn.findMany({ where: { id: mb.turns[0]!.id } })).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
  });

  it("reads rows written before sealing as they are", async () => {
    const tenant = await createTenant();
    const meeting = await db.meeting.create({ data: { tenantId: tenant.id, title: "Old", goal: "x", agenda: [], personaKeys: ["ceo"], chairKey: "ceo", rounds: 1 } });
    await db.$executeRaw`UPDATE "Meeting" SET "goal" = 'legacy plain goal', "agenda" = '["legacy item"]'::jsonb WHERE id = ${meeting.id}`;
    expect(await db.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ goal: "legacy plain goal", agenda: ["legacy item"] });
  });

  it("after the workspace's data keys are shredded, a copy of its rows and content-key row cannot be opened", async () => {
    const tenant = await createTenant();
    const secret = `merger-${uid()}`;
    const meeting = await seedMeeting(tenant.id, secret);
    // The "backup": the sealed rows and the content key's row as they were.
    const backup = await db.$queryRaw<{ content: string }[]>`SELECT "content" FROM "MeetingTurn" WHERE "meetingId" = ${meeting.id}`;
    const keyRow = await db.tenantContentKey.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(await openSealedColumns(structuredClone(backup), { content: "MeetingTurn.content" })).toEqual([{ content: `Turn ${secret}` }]);

    expect(await shredTenantKeys(tenant.id)).toEqual({ dataKeyVersions: [1], vaultKeyDestroyed: true });
    await db.tenantContentKey.deleteMany({ where: { tenantId: tenant.id } });
    // Restoring the backup brings the content key's row back, wrapped under a destroyed data key.
    await db.tenantContentKey.create({ data: keyRow });
    forgetContentKeys();
    await expect(openSealedColumns(structuredClone(backup), { content: "MeetingTurn.content" })).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    await expect(db.meetingTurn.findMany({ where: { meetingId: meeting.id } })).rejects.toMatchObject({ code: "KEY_DESTROYED" });
  });

  it("the workspace's own profile (industry, description) is stored sealed and read plain; another workspace's sealed value is refused", async () => {
    const [a, b] = [await createTenantWithMembers(), await createTenantWithMembers()];
    const secret = `stealth-${uid()}`;
    await updateTenantProfile(tenantCtxOf(a.tenant, a.owner, "OWNER"), { industry: `Fusion ${secret}`, description: `We are building ${secret}` });
    const [row] = await db.$queryRaw<{ industry: string; description: string }[]>`SELECT "industry", "description" FROM "Tenant" WHERE id = ${a.tenant.id}`;
    for (const v of Object.values(row!)) expect(v.startsWith(`occ1.${a.tenant.id}.`)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(await getTenant(tenantCtxOf(a.tenant, a.member, "MEMBER"))).toMatchObject({ industry: `Fusion ${secret}`, description: `We are building ${secret}` });
    // Pasted into another workspace's row, it does not open there.
    await db.$executeRaw`UPDATE "Tenant" SET "description" = ${row!.description} WHERE id = ${b.tenant.id}`;
    await expect(getTenant(tenantCtxOf(b.tenant, b.member, "MEMBER"))).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
    await db.$executeRaw`UPDATE "Tenant" SET "description" = NULL WHERE id = ${b.tenant.id}`;
  });

  it("lists every relation through which a sealed model is reached, and only real String/Json columns", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    const models = new Map<string, Map<string, string>>();
    for (const [, name, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
      const fields = new Map<string, string>();
      for (const [, field, type] of body!.matchAll(/^\s+(\w+)\s+(\w+)/gm)) fields.set(field!, type!);
      models.set(name!, fields);
    }
    // Every relation to a model with sealed fields, and every relation between listed models, is listed
    // (a deeper path through an unlisted model would return sealed text unopened, never plaintext).
    const listed = (m: string) => m in SEALED_FIELDS || m in CONTENT_RELATIONS;
    for (const [model, fields] of models)
      for (const [field, type] of fields)
        if (models.has(type) && (type in SEALED_FIELDS || (listed(model) && listed(type)))) expect(CONTENT_RELATIONS[model]?.[field], `${model}.${field}`).toBe(type);
    for (const [model, fields] of Object.entries(SEALED_FIELDS))
      for (const [field, kind] of Object.entries(fields)) expect(models.get(model)?.get(field), `${model}.${field}`).toBe(kind === "json" ? "Json" : "String");
  });
});
