/**
 * `npm run content:seal` on real PostgreSQL: rows written before content was sealed (inserted here
 * with raw SQL, as an older version wrote them) are sealed in place with their blind indexes,
 * read back unchanged, found by search again; a rerun finds nothing to do; another workspace is
 * left alone when one is named.
 */
import { describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid } from "../prisma/factories";
import { db } from "~/server/db/client";
import { listConversations } from "~/server/services/chat/conversations";
import { retrievePassages } from "~/server/services/knowledge/retrieval";
import { sealLegacyContent } from "~/server/services/secrets/content-backfill";
import { getTenant } from "~/server/services/tenancy/tenants";

const legacyWorkspace = async (label: string) => {
  const f = await createTenantWithMembers();
  const t = f.tenant.id;
  const conversationId = `c${uid(8)}`;
  const documentId = `d${uid(8)}`;
  await db.$executeRaw`INSERT INTO "Conversation" (id, "tenantId", "userId", "personaKey", title, "updatedAt") VALUES (${conversationId}, ${t}, ${f.member.id}, 'cfo', ${`Budget ${label}`}, now())`;
  await db.$executeRaw`INSERT INTO "Message" (id, "conversationId", "tenantId", role, content, citations, "updatedAt") VALUES (${`m${uid(8)}`}, ${conversationId}, ${t}, 'user', ${`Forecast the ${label} runway`}, ${JSON.stringify([{ n: 1, text: `cited ${label}` }])}::jsonb, now())`;
  await db.$executeRaw`INSERT INTO "Document" (id, "tenantId", title, filename, kind, "mimeType", "sizeBytes", sha256, "storageKey", status, "updatedAt") VALUES (${documentId}, ${t}, ${`Policy ${label}`}, 'policy.md', 'markdown', 'text/markdown', 1, ${uid(32)}, 'k', 'ready', now())`;
  await db.$executeRaw`UPDATE "Tenant" SET "industry" = ${`Logistics ${label}`}, "description" = ${`We move ${label} pallets`} WHERE id = ${t}`;
  await db.$executeRaw`INSERT INTO "DocumentChunk" (id, "tenantId", "documentId", ordinal, text, heading, "charStart", "charEnd") VALUES (${`k${uid(8)}`}, ${t}, ${documentId}, 0, ${`Hotel stays for ${label} are reimbursed`}, 'Travel', 0, 10)`;
  return { f, conversationId, documentId };
};

const stored = (table: string, column: string, tenantId: string) =>
  db.$queryRawUnsafe<{ v: string | null }[]>(`SELECT "${column}"::text AS v FROM "${table}" WHERE "tenantId" = $1`, tenantId).then((r) => r.map((x) => x.v));

describe("sealing legacy content (npm run content:seal)", () => {
  it("seals one workspace's plaintext rows with their blind indexes, reads them unchanged, and is idempotent", async () => {
    const label = `zeta${uid(4)}`;
    const a = await legacyWorkspace(label);
    const b = await legacyWorkspace(label);
    const ctx = tenantCtxOf(a.f.tenant, a.f.member, "MEMBER");
    // Before: plaintext, and invisible to the blind searches.
    expect(await stored("Message", "content", a.f.tenant.id)).toEqual([`Forecast the ${label} runway`]);
    expect((await listConversations(ctx, { query: label })).items).toEqual([]);

    const r = await sealLegacyContent({ tenantId: a.f.tenant.id });
    expect(r.perModel).toMatchObject({ Tenant: 1, Conversation: 1, Message: 1, Document: 1, DocumentChunk: 1 });
    // The workspace's own profile too (sealed by its service, not the model extension).
    const [profile] = await db.$queryRaw<{ industry: string; description: string }[]>`SELECT "industry", "description" FROM "Tenant" WHERE id = ${a.f.tenant.id}`;
    for (const v of Object.values(profile!)) expect(v).toMatch(new RegExp(`^occ1\\.${a.f.tenant.id}\\.`));
    expect(JSON.stringify(profile)).not.toContain(label);
    expect(await getTenant(tenantCtxOf(a.f.tenant, a.f.member, "MEMBER"))).toMatchObject({ industry: `Logistics ${label}`, description: `We move ${label} pallets` });
    for (const [table, column] of [["Conversation", "title"], ["Message", "content"], ["Message", "citations"], ["Document", "title"], ["DocumentChunk", "text"]] as const) {
      const [value] = await stored(table, column, a.f.tenant.id);
      expect(value, `${table}.${column}`).toContain(`occ1.${a.f.tenant.id}.`);
      expect(value, `${table}.${column}`).not.toContain(label);
    }
    // Read back as written; found again by every search.
    const messages = await db.message.findMany({ where: { tenantId: a.f.tenant.id } });
    expect(messages[0]).toMatchObject({ content: `Forecast the ${label} runway`, citations: [{ n: 1, text: `cited ${label}` }] });
    expect((await listConversations(ctx, { query: label })).items.map((i) => i.id)).toEqual([a.conversationId]);
    expect((await retrievePassages({ tenantId: a.f.tenant.id }, `hotel stays ${label}`, { mode: "fts" })).map((p) => p.documentTitle)).toEqual([`Policy ${label}`]);

    // The other workspace was not named: still as it was.
    expect(await stored("Message", "content", b.f.tenant.id)).toEqual([`Forecast the ${label} runway`]);
    // A rerun finds nothing left.
    expect((await sealLegacyContent({ tenantId: a.f.tenant.id })).rows).toBe(0);
    const audit = await db.auditEvent.findFirst({ where: { action: "content.sealed", targetId: a.f.tenant.id }, orderBy: { createdAt: "desc" } });
    expect(audit?.metadata).toMatchObject({ rows: 0 });
  });
});
