/**
 * The data export on real PostgreSQL and the real fs storage driver (a temporary folder): an
 * archive built for a workspace with conversations, a meeting with a decision, a task and a
 * document with its original is read back (every SHA-256 against the manifest, every count against
 * the database), holds no secret, narrows to a member's own data, respects its size bound, and
 * is downloaded only through a valid signed link; expired archives are deleted. The stored object
 * is sealed (no zip, no plaintext in it): every archive is read back through the download, which
 * serves the zip whose SHA-256 the row records; an archive stored before sealing is served as is.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../../prisma/factories";
import { seedDocument, utf8 } from "../../../../../tests/fixtures/knowledge/seed";
import { db } from "~/server/db/client";
import { createFsStorage } from "~/server/infra/storage";
import { recordAudit } from "../../audit/audit";
import { buildExport, exportObjectKey } from "./build-export";
import { openExportDownload } from "./download";
import { expireExports, markExportFailed } from "./lifecycle";
import { compareCounts, readArchive } from "./read-archive";
import { requestExport } from "./requests";
import { checkExportLink, signExportLink } from "./signed-link";

let dir: string;
let storage: ReturnType<typeof createFsStorage>;
let fx: TenantFixture;
const marker = `known-${uid(6)}`;
const ORIGINAL = utf8(`# Board pack ${marker}\n\nQuarterly numbers.\n`);
const secrets: string[] = [];

const deps = () => ({ storage, storageForDocument: () => storage });

/** A workspace with a bit of everything (two members' conversations, a meeting with a decision, a task in its second revision, a document). */
const seedWorkspace = async () => {
  fx = await createTenantWithMembers();
  const t = fx.tenant.id;
  for (const [user, title] of [
    [fx.owner, `Pricing ${marker}`],
    [fx.member, "Member's own chat"],
  ] as const) {
    const c = await db.conversation.create({ data: { tenantId: t, userId: user.id, personaKey: "cfo", title } });
    await db.message.createMany({
      data: [
        { tenantId: t, conversationId: c.id, role: "user", content: `What about ${title}?` },
        { tenantId: t, conversationId: c.id, role: "assistant", content: "Raise prices by 5% [1].", citations: [{ n: 1, documentId: "d", title: "Board pack", text: "Quarterly numbers." }] },
      ],
    });
  }
  const m = await db.meeting.create({ data: { tenantId: t, createdById: fx.owner.id, title: "Q3 board", goal: "Decide pricing", agenda: ["Pricing"], personaKeys: ["cfo", "cmo"], chairKey: "ceo", rounds: 1, status: "completed" } });
  await db.meetingTurn.create({ data: { tenantId: t, meetingId: m.id, itemIndex: 0, round: 1, personaKey: "cfo", content: "Margins allow it." } });
  await db.meetingOutcome.create({ data: { tenantId: t, meetingId: m.id, itemIndex: 0, decision: `Adopt ${marker} pricing`, positions: [{ personaKey: "cfo", stance: "support", rationale: "margins" }] } });
  await db.actionItem.create({ data: { tenantId: t, meetingId: m.id, itemIndex: 0, ownerPersonaKey: "cmo", description: "Announce it" } });
  const task = await db.task.create({ data: { tenantId: t, createdById: fx.member.id, personaKey: "cmo", title: "Launch plan", description: "Plan it", status: "needs_review", revision: 2, deliverable: "# Plan" } });
  await db.taskStep.createMany({ data: [1, 2].map((revision) => ({ tenantId: t, taskId: task.id, revision, name: "draft", status: "complete", output: `draft ${revision}` })) });
  // Sealed as an upload stores it: the archive holds the decrypted original (its SHA-256 is the plaintext's).
  await seedDocument(db, storage, t, { title: "Board pack", filename: "board pack.md", bytes: ORIGINAL, sealed: true });
  // Secrets that must never leave: a provider key's ciphertext, password hashes, a session token, an invitation token hash.
  const cipher = `v1:ciphertext-${uid(12)}`;
  await db.providerCredential.create({ data: { tenantId: t, provider: "openai", label: "Main key", secretCiphertext: cipher, keyVersion: 1, last4: "9z9z", createdById: fx.owner.id } });
  const invite = `tokenhash-${uid(12)}`;
  await db.invitation.create({ data: { tenantId: t, email: `guest-${uid()}@example.test`, role: "MEMBER", tokenHash: invite, invitedById: fx.owner.id, expiresAt: new Date(Date.now() + 86_400_000) } });
  const session = await createSession(fx.owner.id);
  const hashes = await db.user.findMany({ where: { id: { in: [fx.owner.id, fx.member.id] } }, select: { passwordHash: true } });
  secrets.push(cipher, "9z9z", invite, session.sessionToken, ...hashes.map((h) => h.passwordHash!));
  await recordAudit({ tenantId: t, actorId: fx.owner.id, actorType: "USER", action: "tenant.renamed" });
};

const newExport = (scope: "workspace" | "user", requestedById: string) => db.dataExport.create({ data: { tenantId: fx.tenant.id, requestedById, scope } });

const linkOf = (exportId: string) => {
  const expires = Math.floor(Date.now() / 1000) + 60;
  return { exportId, expires: String(expires), sig: signExportLink(exportId, fx.tenant.id, expires) };
};

/** The archive as its requester downloads it, saved to a file (what readArchive reads). */
const downloaded = async (exportId: string, user = fx.owner, role: "OWNER" | "MEMBER" = "OWNER") => {
  const out = await openExportDownload(tenantCtxOf(fx.tenant, user, role), linkOf(exportId), { storage });
  const file = path.join(dir, `${exportId}-${uid(4)}.zip`);
  await pipeline(Readable.fromWeb(out.body as NodeWebStream<Uint8Array>), createWriteStream(file));
  return file;
};
const sha256Of = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ocsuite-export-test-"));
  storage = createFsStorage(path.join(dir, "storage"));
  await seedWorkspace();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("workspace export", () => {
  it("builds an archive whose files match the manifest's hashes and whose counts match the database", async () => {
    const x = await newExport("workspace", fx.owner.id);
    const res = await buildExport(x.id, deps());
    expect(res.status).toBe("ready");
    const row = await db.dataExport.findUniqueOrThrow({ where: { id: x.id } });
    expect(row).toMatchObject({ status: "ready", storageKey: exportObjectKey(fx.tenant.id, x.id), errorReason: null });
    expect(row.progressDone).toBe(row.progressTotal);
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    // Stored sealed, in the default storage (no region of its own here), its key under the data key.
    expect(row).toMatchObject({ storageRegion: null, archiveKeyCiphertext: expect.stringMatching(/^ocs1\./) });
    const stored = await readFile(storage.pathOf(row.storageKey!));
    expect(stored.subarray(0, 4).equals(Buffer.from("PK\x03\x04"))).toBe(false);
    for (const plain of [`Pricing ${marker}`, `Adopt ${marker} pricing`, "Quarterly numbers", "manifest.json"]) expect(stored.includes(Buffer.from(plain))).toBe(false);

    const file = await downloaded(x.id);
    expect((await readFile(file)).subarray(0, 4).equals(Buffer.from("PK\x03\x04"))).toBe(true);
    const lines: string[] = [];
    const read = await readArchive(file, { onLine: (_p, line) => lines.push(line) });
    expect(read.problems).toEqual([]);
    expect(await compareCounts(read, { tenantId: fx.tenant.id, userId: fx.owner.id })).toEqual([]);
    expect(read.manifest).toMatchObject({ schemaVersion: 1, scope: "workspace", dataResidency: "us", workspace: { id: fx.tenant.id, slug: fx.tenant.slug } });
    expect(read.manifest.counts).toMatchObject({ members: 4, conversations: 2, messages: 4, meetings: 1, meetingDecisions: 1, actionItems: 1, tasks: 1, taskSteps: 2, documents: 1, documentOriginals: 1, providerKeys: 1 });
    // The zip's own SHA-256 and size are recorded on the row: the download serves exactly that zip.
    expect(await sha256Of(file)).toBe(row.sha256);
    expect((await readFile(file)).byteLength).toBe(row.sizeBytes);

    // The known conversation, the meeting's decision and the document, byte for byte.
    expect(lines.some((l) => l.includes(`Pricing ${marker}`))).toBe(true);
    expect(lines.some((l) => l.includes(`Adopt ${marker} pricing`) && l.includes('"stance":"support"'))).toBe(true);
    const original = read.manifest.files.find((f) => f.path.startsWith("documents/"));
    expect(original?.path).toMatch(/\/board pack\.md$/);
    expect(original?.sha256).toBe(createHash("sha256").update(ORIGINAL).digest("hex"));
    expect(read.files.has("README.md") && read.files.has("settings.json") && read.files.has("audit-verification.json")).toBe(true);

    // Secrets: not one of them, anywhere in the archive.
    const everything = lines.join("\n");
    for (const s of secrets) expect(everything).not.toContain(s);
    expect(everything).not.toMatch(/passwordHash|secretCiphertext|tokenHash|sessionToken/);
  });

  it("a member's own export holds their data only", async () => {
    const x = await newExport("user", fx.member.id);
    await buildExport(x.id, deps());
    const row = await db.dataExport.findUniqueOrThrow({ where: { id: x.id } });
    const lines: string[] = [];
    const file = await downloaded(x.id, fx.member, "MEMBER");
    expect(await sha256Of(file)).toBe(row.sha256);
    const read = await readArchive(file, { onLine: (_p, l) => lines.push(l) });
    expect(read.problems).toEqual([]);
    expect(await compareCounts(read, { tenantId: fx.tenant.id, userId: fx.member.id })).toEqual([]);
    expect(read.manifest.counts).toMatchObject({ members: 1, conversations: 1, messages: 2, meetings: 0, tasks: 1, taskSteps: 2, documents: 0 });
    expect(read.files.has("profile.json") && !read.files.has("settings.json") && !read.files.has("provider-keys.jsonl")).toBe(true);
    expect(lines.join("\n")).not.toContain(marker);
  });

  it("fails with exportTooLarge past the size bound, and the failure is recorded for the requester", async () => {
    const x = await newExport("workspace", fx.admin.id);
    await expect(buildExport(x.id, { ...deps(), maxBytes: 2_000 })).rejects.toMatchObject({ reason: "exportTooLarge" });
    await markExportFailed(x.id, "exportTooLarge");
    expect(await db.dataExport.findUniqueOrThrow({ where: { id: x.id } })).toMatchObject({ status: "failed", errorReason: "exportTooLarge" });
    const files = await import("node:fs/promises").then((f) => f.readdir(os.tmpdir()));
    expect(files.filter((f) => f.startsWith(`ocsuite-export-${x.id}`))).toEqual([]);
  });
});

describe("requests, links and downloads", () => {
  it("a member cannot export the whole workspace; a second export of the same kind waits for the first", async () => {
    await expect(requestExport(tenantCtxOf(fx.tenant, fx.member, "MEMBER"), { scope: "workspace", appUrl: "http://localhost:3000" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await newExport("user", fx.viewer.id);
    await expect(requestExport(tenantCtxOf(fx.tenant, fx.viewer, "VIEWER"), { scope: "user", appUrl: "http://localhost:3000" })).rejects.toMatchObject({ reason: "exportInProgress" });
  });

  it("checks the signature in this workspace, the expiry and the caller, and audits each download", async () => {
    const x = await newExport("workspace", fx.owner.id);
    await buildExport(x.id, deps());
    const expires = Math.floor(Date.now() / 1000) + 60;
    const sig = signExportLink(x.id, fx.tenant.id, expires);
    expect(checkExportLink({ exportId: x.id, tenantId: fx.tenant.id, expires: String(expires), sig })).toBe("ok");
    expect(checkExportLink({ exportId: x.id, tenantId: "another-tenant", expires: String(expires), sig })).toBe("invalid");
    expect(checkExportLink({ exportId: x.id, tenantId: fx.tenant.id, expires: String(expires + 1), sig })).toBe("invalid");
    const old = Math.floor(Date.now() / 1000) - 5;
    expect(checkExportLink({ exportId: x.id, tenantId: fx.tenant.id, expires: String(old), sig: signExportLink(x.id, fx.tenant.id, old) })).toBe("expired");

    const input = { exportId: x.id, expires: String(expires), sig };
    // An admin may download the workspace export; a member may not (404: not theirs to see).
    const out = await openExportDownload(tenantCtxOf(fx.tenant, fx.admin, "ADMIN"), input, { storage });
    await out.body.cancel();
    expect(await db.auditEvent.count({ where: { chain: fx.tenant.id, action: "data_export.downloaded", actorId: fx.admin.id, targetId: x.id } })).toBe(1);
    await expect(openExportDownload(tenantCtxOf(fx.tenant, fx.member, "MEMBER"), input, { storage })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(openExportDownload(tenantCtxOf(fx.tenant, fx.admin, "ADMIN"), { ...input, sig: "0".repeat(64) }, { storage })).rejects.toMatchObject({ reason: "exportLinkInvalid" });
  });

  it("an archive stored before sealing (no key on its row) is served as it was stored", async () => {
    const x = await newExport("workspace", fx.owner.id);
    await buildExport(x.id, deps());
    const file = await downloaded(x.id);
    // The same zip stored in the clear, its row without a key: what rows written before this change hold.
    const legacyKey = `exports/${fx.tenant.id}/legacy-${uid(6)}.zip`;
    await storage.put(legacyKey, new Uint8Array(await readFile(file)));
    const legacy = await db.dataExport.create({
      data: { tenantId: fx.tenant.id, requestedById: fx.owner.id, scope: "workspace", status: "ready", storageKey: legacyKey, sha256: await sha256Of(file), expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const again = await downloaded(legacy.id);
    expect(await sha256Of(again)).toBe(legacy.sha256);
    expect((await readArchive(again)).problems).toEqual([]);
  });

  it("expired archives are deleted from storage and marked expired", async () => {
    const x = await newExport("workspace", fx.owner.id);
    await buildExport(x.id, deps());
    const key = exportObjectKey(fx.tenant.id, x.id);
    await expireExports({ storage, now: new Date(Date.now() + 400 * 3_600_000) });
    // The key goes with the object: a copy of it left anywhere no longer opens.
    expect(await db.dataExport.findUniqueOrThrow({ where: { id: x.id } })).toMatchObject({ status: "expired", storageKey: null, archiveKeyCiphertext: null, archiveKeyVersion: null });
    await expect(storage.get(key)).rejects.toMatchObject({ name: "ObjectNotFoundError" });
  });
});
