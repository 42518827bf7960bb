/**
 * Workspace deletion on real PostgreSQL: owner-only with typed confirmation, every owner mailed on
 * request and cancel (the dev mailbox), read-only while pending (through the real tRPC router),
 * cancellable until the purge begins; after the grace period the purge leaves no row of the
 * workspace in any table with a tenantId column, no stored object, and a ciphertext captured
 * before (a "backup copy" of a provider key) can no longer be decrypted.
 */
import { describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf, TEST_META, uid } from "../../../../prisma/factories";
import { sessionCookieFor } from "../../../../tests/support/session-cookie";
import { callerFor } from "../../../../tests/support/trpc";
import { objectExists, seedContent } from "../../../../tests/support/privacy-data";
import { POST as uploadDocument } from "~/app/api/t/[tenantSlug]/documents/route";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { objectStorage } from "~/server/infra/storage";
import { appendAuditEvent, PLATFORM_CHAIN, verifyAuditChain } from "../audit/audit";
import { uploadDocument as storeDocument } from "../knowledge/document-upload";
import { openOriginal } from "../knowledge/original-cipher";
import { createCredential } from "../providers/credentials";
import { forgetContentKeys, openSealedColumns, openTenantProfile } from "~/server/db/keys/content-keys";
import { updateTenantProfile } from "../tenancy/tenants";
import { tenantCrypto, workspaceKeyVault } from "~/server/db/keys/tenant-crypto";
import { cancelWorkspaceDeletion, requestWorkspaceDeletion, workspacesDueForPurge } from "./workspace-deletion";
import { runWorkspacePurge } from "./workspace-purge";

const DAY = 86_400_000;

const workspace = async () => {
  const f = await createTenantWithMembers();
  const coOwner = await createUser();
  await addMember(f.tenant.id, coOwner.id, "OWNER");
  const ctx = (user: { id: string }, role: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER") => ({ ...tenantCtxOf(f.tenant, user, role), meta: TEST_META });
  return { ...f, coOwner, ownerCtx: ctx(f.owner, "OWNER"), coOwnerCtx: ctx(coOwner, "OWNER"), adminCtx: ctx(f.admin, "ADMIN") };
};

const mailsTo = (email: string, subject: RegExp) => db.devMail.findMany({ where: { to: email } }).then((rows) => rows.filter((m) => subject.test(m.subject)));

/** Every table of the database with a tenantId column, and how many rows of `tenantId` each holds. */
const rowsPerTenantTable = async (tenantId: string): Promise<Record<string, number>> => {
  const tables = await db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'tenantId' ORDER BY table_name`;
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table_name.replaceAll('"', "")}" WHERE "tenantId" = $1`, tenantId);
    counts[table_name] = Number(row!.n);
  }
  return counts;
};

describe("requesting and cancelling a workspace deletion", () => {
  it("is for owners only and needs the workspace's slug (or name) typed", async () => {
    const w = await workspace();
    await expect(requestWorkspaceDeletion(w.adminCtx, { confirmation: w.tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    await expect(requestWorkspaceDeletion(w.ownerCtx, { confirmation: "delete" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "confirmationMismatch" });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).status).toBe("ACTIVE");
  });

  it("schedules it after the grace period, mails every owner, and any owner can cancel (mailed too)", async () => {
    const w = await workspace();
    const now = new Date();
    const status = await requestWorkspaceDeletion(w.ownerCtx, { confirmation: ` ${w.tenant.name} ` }, now);
    expect(status).toMatchObject({ status: "PENDING_DELETION", graceDays: env.WORKSPACE_DELETION_GRACE_DAYS, canManage: true });
    expect(status.scheduledFor!.getTime()).toBe(now.getTime() + env.WORKSPACE_DELETION_GRACE_DAYS * DAY);
    for (const owner of [w.owner, w.coOwner]) expect(await mailsTo(owner.email, /scheduled for deletion/)).toHaveLength(1);
    expect(await mailsTo(w.member.email, /deletion/)).toHaveLength(0);
    await expect(requestWorkspaceDeletion(w.coOwnerCtx, { confirmation: w.tenant.slug })).rejects.toMatchObject({ code: "CONFLICT", reason: "deletionAlreadyRequested" });

    const back = await cancelWorkspaceDeletion(w.coOwnerCtx);
    expect(back).toMatchObject({ status: "ACTIVE", scheduledFor: null, requestedAt: null });
    for (const owner of [w.owner, w.coOwner]) expect(await mailsTo(owner.email, /cancelled/)).toHaveLength(1);
    const actions = (await db.auditEvent.findMany({ where: { chain: w.tenant.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["workspace.deletion.requested", "workspace.deletion.cancelled"]));
    await expect(cancelWorkspaceDeletion(w.ownerCtx)).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "deletionNotRequested" });
  });

  it("while pending the workspace is read-only through the router: reads and cancelling pass, other writes are refused", async () => {
    const w = await workspace();
    await callerFor(w.owner).deletion.requestWorkspace({ tenantSlug: w.tenant.slug, confirmation: w.tenant.slug });
    const asAdmin = callerFor(w.admin);
    await expect(asAdmin.tenant.rename({ tenantSlug: w.tenant.slug, name: "Renamed" })).rejects.toMatchObject({ code: "FORBIDDEN", cause: { reason: "workspacePendingDeletion" } });
    expect((await asAdmin.tenant.get({ tenantSlug: w.tenant.slug })).name).toBe(w.tenant.name);
    expect(await callerFor(w.viewer).deletion.status({ tenantSlug: w.tenant.slug })).toMatchObject({ status: "PENDING_DELETION", canManage: false });
    expect(await callerFor(w.owner).deletion.cancelWorkspace({ tenantSlug: w.tenant.slug })).toMatchObject({ status: "ACTIVE" });
    expect((await asAdmin.tenant.rename({ tenantSlug: w.tenant.slug, name: "Renamed" })).name).toBe("Renamed");
  });

  it("while pending, the route kit refuses an upload over HTTP with the reason", async () => {
    const w = await workspace();
    await requestWorkspaceDeletion(w.ownerCtx, { confirmation: w.tenant.slug });
    const form = new FormData();
    form.append("file", new Blob(["plan"], { type: "text/plain" }), "plan.txt");
    const req = new Request(`http://localhost:3000/api/t/${w.tenant.slug}/documents`, {
      method: "POST",
      body: form,
      headers: { origin: "http://localhost:3000", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", cookie: await sessionCookieFor(w.member) },
    });
    const res = await uploadDocument(req, { params: Promise.resolve({ tenantSlug: w.tenant.slug }) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { reason: "workspacePendingDeletion" } });
    expect(await db.document.count({ where: { tenantId: w.tenant.id } })).toBe(0);
  });
});

describe("purging a workspace past its deletion date", () => {
  it("is not due before its date, and a purge that has begun cannot be cancelled", async () => {
    const w = await workspace();
    await requestWorkspaceDeletion(w.ownerCtx, { confirmation: w.tenant.slug });
    expect(await workspacesDueForPurge()).not.toContain(w.tenant.id);
    expect(await runWorkspacePurge(w.tenant.id)).toBeNull();
    const later = new Date(Date.now() + (env.WORKSPACE_DELETION_GRACE_DAYS + 1) * DAY);
    expect(await workspacesDueForPurge(later)).toContain(w.tenant.id);
    await db.tenant.update({ where: { id: w.tenant.id }, data: { deletedAt: new Date() } });
    await expect(cancelWorkspaceDeletion(w.ownerCtx)).rejects.toMatchObject({ reason: "deletionNotRequested" });
  });

  it("deletes every row and object of the workspace, destroys its data keys (copies of its secrets and originals unreadable), and leaves a tombstone", async () => {
    const w = await workspace();
    const other = await createTenantWithMembers();
    const storage = objectStorage();
    const label = `shred${uid(4)}`;
    const content = await seedContent({ tenantId: w.tenant.id, userId: w.member.id, at: new Date(), storage, label });
    const otherContent = await seedContent({ tenantId: other.tenant.id, userId: other.member.id, at: new Date(), storage });
    const secret = `sk-shred-${uid(12)}`;
    const credential = await createCredential(w.ownerCtx, { provider: "openai", label: "Main", apiKey: secret });
    // The "backup copy": the stored ciphertext as it was before the purge.
    const backup = await db.providerCredential.findUniqueOrThrow({ where: { id: credential.id }, select: { secretCiphertext: true } });
    const field = `provider-credential:${credential.id}`;
    expect(await tenantCrypto().decryptField({ tenantId: w.tenant.id, field, ciphertext: backup.secretCiphertext })).toBe(secret);
    // An uploaded document: its original is stored sealed, its content key under the workspace's data key.
    const uploaded = await storeDocument(w.ownerCtx, { filename: "board-pack.md", bytes: new TextEncoder().encode(`# Board pack ${uid()}\n\nRunway: 19 months.\n`) }, { storage });
    const uploadedRow = await db.document.findUniqueOrThrow({ where: { id: uploaded.document.id }, select: { tenantId: true, id: true, storageKey: true, contentKeyCiphertext: true } });
    // The "backup copies" of the bucket object and of its row, as they were before the purge.
    const objectBackup = await storage.get(uploadedRow.storageKey);
    expect(new TextDecoder().decode(await openOriginal(uploadedRow, objectBackup))).toContain("Runway: 19 months.");
    const archiveKey = `tenants/${w.tenant.id}/exports/${uid()}.zip`;
    await storage.put(archiveKey, new TextEncoder().encode("zip"));
    await db.dataExport.create({ data: { tenantId: w.tenant.id, requestedById: w.owner.id, scope: "workspace", status: "ready", storageKey: archiveKey } });
    await appendAuditEvent({ tenantId: w.tenant.id, actorType: "SYSTEM", action: "test.event" });
    await db.inngestRun.create({ data: { id: `run-${uid()}`, appId: "ocsuite", functionId: "ocsuite-tasks-run-task", status: "COMPLETED", eventId: uid(), event: {}, events: [], tenantId: w.tenant.id, maxAttempts: 1, finishedAt: new Date() } });
    // The "backup copy" of its sealed rows (ADR 0015) and of the content key's row, as a dump would have them.
    const rowsBackup = await db.$queryRaw<{ content: string }[]>`SELECT content FROM "Message" WHERE "tenantId" = ${w.tenant.id}`;
    const contentKeyBackup = await db.tenantContentKey.findUniqueOrThrow({ where: { tenantId: w.tenant.id } });
    // And of the workspace's profile, sealed by its service.
    await updateTenantProfile(w.ownerCtx, { description: `Secret plan ${label}` });
    const profileBackup = await db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id }, select: { industry: true, description: true } });
    expect(profileBackup.description).toMatch(new RegExp(`^occ1\\.${w.tenant.id}\\.`));
    // And of the wrapped data keys themselves: a whole-database backup has them too (ADR 0016).
    const dataKeysBackup = await db.tenantDataKey.findMany({ where: { tenantId: w.tenant.id } });
    expect(dataKeysBackup.map((k) => k.kekId)).toEqual(dataKeysBackup.map(() => "env/ws-file"));
    expect(await workspaceKeyVault()!.has(w.tenant.id)).toBe(true);
    expect(rowsBackup.every((r) => r.content.startsWith(`occ1.${w.tenant.id}.`))).toBe(true);
    expect((await openSealedColumns(structuredClone(rowsBackup), { content: "Message.content" })).map((r) => r.content)).toContain(`Question ${label}`);

    await requestWorkspaceDeletion(w.ownerCtx, { confirmation: w.tenant.slug });
    const counts = await runWorkspacePurge(w.tenant.id, { now: new Date(Date.now() + (env.WORKSPACE_DELETION_GRACE_DAYS + 1) * DAY) });
    expect(counts).toMatchObject({ documents: 2, dataExports: 1, message: 2, meeting: 1, task: 1, providerCredential: 1, membership: 5, jobRuns: 1 });
    expect(counts!.auditEvents).toBeGreaterThan(1);
    expect(counts!.dataKeysDestroyed).toBeGreaterThanOrEqual(1);
    expect(counts!.vaultKeysDestroyed).toBe(1);
    expect(await workspaceKeyVault()!.has(w.tenant.id)).toBe(false);

    // No row of the workspace in any table with a tenantId column, but its destroyed data keys (the proof of shredding).
    const left = await rowsPerTenantTable(w.tenant.id);
    expect(Object.keys(left)).toEqual(expect.arrayContaining(["Message", "DocumentChunk", "AuditEvent", "TenantDataKey", "InngestRun"]));
    expect(Object.entries(left).filter(([table, n]) => n > 0 && table !== "TenantDataKey")).toEqual([]);
    const keys = await db.tenantDataKey.findMany({ where: { tenantId: w.tenant.id } });
    expect(keys.every((k) => k.status === "destroyed" && k.wrappedKey.length === 0)).toBe(true);
    expect(await objectExists(storage, content.storageKey)).toBe(false);
    expect(await objectExists(storage, archiveKey)).toBe(false);

    // The copy taken before cannot be decrypted any more.
    await expect(tenantCrypto().decryptField({ tenantId: w.tenant.id, field, ciphertext: backup.secretCiphertext })).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    // Nor can the copy of the document's original: its content key went with the data key.
    expect(await objectExists(storage, uploadedRow.storageKey)).toBe(false);
    await expect(openOriginal(uploadedRow, objectBackup)).rejects.toMatchObject({ reason: "originalUnreadable", cause: { code: "KEY_DESTROYED" } });
    // Nor the copy of its sealed rows, even restored with its content key's row (ADR 0015).
    await db.tenantContentKey.create({ data: contentKeyBackup });
    forgetContentKeys();
    await expect(openSealedColumns(structuredClone(rowsBackup), { content: "Message.content" })).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    // Nor a whole backup from before the purge, its data-key rows restored as they were (active,
    // wrapped, readable by the master keys this process holds): the workspace's vault key is gone.
    await db.tenantDataKey.deleteMany({ where: { tenantId: w.tenant.id } });
    await db.tenantDataKey.createMany({ data: dataKeysBackup });
    tenantCrypto().invalidateCache(w.tenant.id);
    forgetContentKeys();
    await expect(tenantCrypto().decryptField({ tenantId: w.tenant.id, field, ciphertext: backup.secretCiphertext })).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    await expect(openSealedColumns(structuredClone(rowsBackup), { content: "Message.content" })).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    await expect(openOriginal(uploadedRow, objectBackup)).rejects.toMatchObject({ reason: "originalUnreadable", cause: { code: "KEY_DESTROYED" } });
    await expect(openTenantProfile(w.tenant.id, profileBackup)).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    await db.tenantContentKey.deleteMany({ where: { tenantId: w.tenant.id } });
    await db.tenantDataKey.deleteMany({ where: { tenantId: w.tenant.id } });
    tenantCrypto().invalidateCache(w.tenant.id);

    // Tombstone: DELETED, slug freed, name gone; the platform chain records the counts.
    const tomb = await db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } });
    expect(tomb).toMatchObject({ status: "DELETED", slug: `deleted-${w.tenant.id}`, name: `deleted-${w.tenant.id}` });
    expect(tomb.deletedAt).not.toBeNull();
    const record = await db.auditEvent.findFirst({ where: { chain: PLATFORM_CHAIN, action: "workspace.purged", targetId: w.tenant.id } });
    expect(record?.metadata).toMatchObject({ counts: { documents: 2, providerCredential: 1 } });
    expect((await verifyAuditChain(PLATFORM_CHAIN)).ok).toBe(true);
    // The slug is free again; the other workspace was not touched; a second purge does nothing.
    await expect(db.tenant.create({ data: { slug: w.tenant.slug, name: "Reborn" } })).resolves.toMatchObject({ slug: w.tenant.slug });
    expect(await db.document.count({ where: { id: otherContent.documentId } })).toBe(1);
    expect(await objectExists(storage, otherContent.storageKey)).toBe(true);
    expect(await runWorkspacePurge(w.tenant.id)).toBeNull();
    // Former members no longer reach it.
    await expect(callerFor(w.owner).tenant.get({ tenantSlug: `deleted-${w.tenant.id}` })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
