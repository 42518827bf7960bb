import "server-only";
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { env } from "~/env";
import { RETENTION_CLASSES, RETENTION_COLUMN } from "~/lib/retention";
import { db } from "~/server/db/client";
import { openTenantProfile } from "~/server/db/keys/content-keys";
import { AppError } from "~/server/errors";
import { isObjectNotFound, storageForDocument, storageForRegion, storageRegionFor, type ObjectStorage } from "~/server/infra/storage";
import { getObjectStream, putObjectFile } from "~/server/infra/storage/streaming";
import { recordAudit, verifyAuditChain } from "../../audit/audit";
import { isKnowledgeError } from "../../knowledge/errors";
import { openOriginal, type StoredOriginal } from "../../knowledge/original-cipher";
import { newArchiveSealer } from "./archive-cipher";
import type { StreamSealer } from "./archive-stream";
import { createArchiveWriter, type ArchiveWriter } from "./archive-writer";
import { EXPORT_SCHEMA_VERSION, MANIFEST_FILE, README_FILE, readmeText, type TExportScope, type TManifest } from "./format";
import { documentsOf, sectionPages, sectionsOf, type ExportTarget } from "./sections";

/*
 * Builds one export archive (the data-export job's work): counts what the archive will hold
 * (progressTotal), streams every section and original into a zip on local disk (archive-writer),
 * adds the audit chain's verification, settings, README and the manifest last (it lists every
 * other file's SHA-256), sealed as it is written (archive-cipher.ts: only the sealed stream touches
 * the disk), then streams it into the object storage of the workspace's residency region
 * (storageRegionFor, recorded on DataExport.storageRegion as Document.storageRegion) under
 * exports/<tenantId>/<exportId>.zip and marks the DataExport ready until expiresAt.
 * Progress is written after every batch. The archive is built in one go: a zip stream cannot be
 * resumed in another process, so a retried job starts the archive again (idempotent: same key).
 */

export type BuildDeps = {
  /** Where the archive is stored (tests); by default the storage of the workspace's residency region. */
  storage?: ObjectStorage;
  /** The storage of a residency region (null: the default storage). */
  storageForRegion?: (region: string | null) => ObjectStorage;
  /** Where a document's original is read: its residency region's storage (storageForDocument). */
  storageForDocument?: (doc: { storageRegion: string | null }) => ObjectStorage;
  maxBytes?: number;
};

export const exportObjectKey = (tenantId: string, exportId: string) => `exports/${tenantId}/${exportId}.zip`;

/** A file name safe as one zip path segment (no separators, no dot-dot, no control characters). */
const safeName = (name: string) => name.replace(/[\\/:*?"<>|\p{Cc}]/gu, "_").replace(/^\.+/, "").slice(0, 200) || "original";

const jsonLine = (row: unknown) => `${JSON.stringify(row)}\n`;

type Progress = { done: number; bump: (n: number) => Promise<void> };

const progressOf = (exportId: string): Progress => {
  const p: Progress = {
    done: 0,
    bump: async (n) => {
      p.done += n;
      await db.dataExport.update({ where: { id: exportId }, data: { progressDone: p.done } });
    },
  };
  return p;
};

const loadExport = async (exportId: string) => {
  const row = await db.dataExport.findUnique({
    where: { id: exportId },
    include: { tenant: { select: { id: true, slug: true, name: true, industry: true, description: true, plan: true, status: true, createdAt: true, dataResidency: true, telemetryEnabled: true, accessReviewIntervalDays: true, monthlyTokenBudget: true, ...Object.fromEntries(RETENTION_CLASSES.map((c) => [RETENTION_COLUMN[c], true])) } } },
  });
  if (!row) throw new AppError("NOT_FOUND", "notFound", "Export not found");
  return { ...row, tenant: await openTenantProfile(row.tenantId, row.tenant) };
};
type LoadedExport = Awaited<ReturnType<typeof loadExport>>;

/** workspace.json, and settings.json (workspace) or profile.json (user: the member's own account, never its password hash). */
const addSettings = async (w: ArchiveWriter, x: LoadedExport) => {
  const t = x.tenant as LoadedExport["tenant"] & Record<string, number | null>;
  await w.addText("workspace.json", JSON.stringify({ id: t.id, slug: t.slug, name: t.name, industry: t.industry, description: t.description, plan: t.plan, status: t.status, createdAt: t.createdAt }, null, 2));
  if (x.scope === "workspace") {
    const retention = Object.fromEntries(RETENTION_CLASSES.map((c) => [c, t[RETENTION_COLUMN[c]] ?? null]));
    const settings = { privacy: { telemetryEnabled: t.telemetryEnabled, dataResidency: t.dataResidency, retentionDays: retention }, accessReviewIntervalDays: t.accessReviewIntervalDays, monthlyTokenBudget: t.monthlyTokenBudget };
    await w.addText("settings.json", JSON.stringify(settings, null, 2));
    return;
  }
  const user = await db.user.findUniqueOrThrow({
    where: { id: x.requestedById },
    select: { id: true, email: true, name: true, image: true, locale: true, emailVerified: true, legalVersionAccepted: true, legalAcceptedAt: true, createdAt: true },
  });
  await w.addText("profile.json", JSON.stringify(user, null, 2));
};

async function* linesOf(pages: AsyncIterable<Record<string, unknown>[]>, progress: Progress): AsyncGenerator<string> {
  for await (const rows of pages) {
    yield rows.map(jsonLine).join("");
    await progress.bump(rows.length);
  }
}

/** What addOriginals reads of a document (its content key only to open it: never written to the archive). */
const originalSelect = { id: true, tenantId: true, filename: true, storageKey: true, storageRegion: true, contentKeyCiphertext: true } as const;

/**
 * A document's original as stored, opened: an encrypted one (original-cipher.ts) is read whole and
 * decrypted (at most KNOWLEDGE_MAX_FILE_BYTES in memory), one stored before encryption is streamed.
 * Null when the object is missing or no longer decrypts.
 */
const openedOriginal = async (storage: ObjectStorage, d: StoredOriginal & { storageKey: string }): Promise<AsyncIterable<Uint8Array> | null> => {
  try {
    if (d.contentKeyCiphertext === null) return Readable.fromWeb((await getObjectStream(storage, d.storageKey)) as NodeWebStream<Uint8Array>) as AsyncIterable<Uint8Array>;
    const plain = await openOriginal(d, await storage.get(d.storageKey));
    return (async function* () {
      yield plain;
    })();
  } catch (err) {
    if (isObjectNotFound(err) || (isKnowledgeError(err) && err.reason === "originalUnreadable")) return null;
    throw err;
  }
};

/** Each document's original, from its region's storage. Missing or unreadable originals are listed, not fatal. */
const addOriginals = async (w: ArchiveWriter, target: ExportTarget, storageFor: NonNullable<BuildDeps["storageForDocument"]>, progress: Progress) => {
  const missing: string[] = [];
  let stored = 0;
  const where = documentsOf(target);
  const docs = sectionPages({ page: (a, take) => db.document.findMany({ where: { ...where, ...(a ? { id: { gt: a } } : {}) }, orderBy: { id: "asc" }, take, select: originalSelect }) });
  for await (const page of docs) {
    for (const d of page) {
      const body = await openedOriginal(storageFor(d), d);
      if (!body) {
        missing.push(d.id);
        continue;
      }
      await w.addFile(`documents/${d.id}/${safeName(d.filename)}`, body, { compress: false });
      stored += 1;
      await progress.bump(1);
    }
  }
  return { stored, missing };
};

const countAll = async (target: ExportTarget) => {
  const sections = sectionsOf(target);
  const counts: Record<string, number> = {};
  for (const s of sections) counts[s.key] = await s.count();
  const docBytes = await db.document.aggregate({ where: documentsOf(target), _sum: { sizeBytes: true } });
  return { sections, counts, docBytes: docBytes._sum.sizeBytes ?? 0 };
};

const writeArchive = async (x: LoadedExport, file: string, sealer: StreamSealer, deps: Required<Pick<BuildDeps, "storageForDocument">> & { maxBytes: number }) => {
  const asOf = new Date();
  const target: ExportTarget = { tenantId: x.tenantId, userId: x.requestedById, scope: x.scope as TExportScope, asOf };
  const { sections, counts, docBytes } = await countAll(target);
  // Originals are stored uncompressed: when they alone exceed the bound the archive cannot fit.
  if (docBytes > deps.maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", "exportTooLarge", `The originals alone exceed ${deps.maxBytes} bytes`);
  const total = Object.values(counts).reduce((a, b) => a + b, 0) + counts.documents!;
  await db.dataExport.update({ where: { id: x.id }, data: { progressTotal: total, progressDone: 0 } });

  const requester = await db.user.findUniqueOrThrow({ where: { id: x.requestedById }, select: { id: true, email: true } });
  const head = { exportId: x.id, scope: target.scope, createdAt: asOf.toISOString(), workspace: { id: x.tenant.id, slug: x.tenant.slug, name: x.tenant.name } };
  const w = createArchiveWriter(file, deps.maxBytes, sealer);
  try {
    const progress = progressOf(x.id);
    await w.addText(README_FILE, readmeText(head));
    await addSettings(w, x);
    for (const s of sections) await w.addFile(s.file, linesOf(sectionPages(s), progress));
    const verification = target.scope === "workspace" ? await verifyAuditChain(x.tenantId) : null;
    await w.addText("audit-verification.json", JSON.stringify(verification ? { scope: "workspace chain", ...verification } : { scope: "not verified: a user export holds only the member's own events, not the whole chain" }, null, 2));
    const originals = await addOriginals(w, target, deps.storageForDocument, progress);
    counts.documentOriginals = originals.stored;
    const manifest: TManifest = { schemaVersion: EXPORT_SCHEMA_VERSION, ...head, requestedBy: requester, dataResidency: x.tenant.dataResidency, counts, files: [...w.entries], missingOriginals: originals.missing };
    await w.addText(MANIFEST_FILE, JSON.stringify(manifest, null, 2));
    return { ...(await w.finish()), counts, total };
  } catch (err) {
    w.abort();
    throw err;
  }
};

/**
 * Builds the archive of a queued (or retried running) export and marks it ready. An export that is
 * already ready, failed or expired is left as it is (a duplicate event changes nothing).
 */
export const buildExport = async (exportId: string, deps: BuildDeps = {}) => {
  const x = await loadExport(exportId);
  if (x.status !== "queued" && x.status !== "running") return { status: x.status };
  await db.dataExport.update({ where: { id: x.id }, data: { status: "running", startedAt: new Date() } });
  const file = path.join(os.tmpdir(), `ocsuite-export-${x.id}-${randomUUID()}.sealed`);
  try {
    // Residency as the workspace prefers it now; the row records where it went (null = default storage).
    const storageRegion = storageRegionFor(x.tenant.dataResidency);
    const storage = deps.storage ?? (deps.storageForRegion ?? storageForRegion)(storageRegion);
    // A fresh key per build (a retry too): the previous attempt's object is overwritten with its row.
    const { sealer, keyColumns } = await newArchiveSealer(x.tenantId, x.id);
    const built = await writeArchive(x, file, sealer, { storageForDocument: deps.storageForDocument ?? storageForDocument, maxBytes: deps.maxBytes ?? env.EXPORT_MAX_BYTES });
    const key = exportObjectKey(x.tenantId, x.id);
    // Sealed bytes, not a zip: application/octet-stream (the download serves the zip).
    await putObjectFile(storage, key, file, { contentType: "application/octet-stream" });
    const columns = await keyColumns();
    const completedAt = new Date();
    await db.dataExport.update({
      where: { id: x.id },
      data: { status: "ready", storageKey: key, storageRegion, ...columns, sizeBytes: built.sizeBytes, sha256: built.sha256, counts: built.counts, completedAt, expiresAt: new Date(completedAt.getTime() + env.EXPORT_RETENTION_HOURS * 3_600_000), progressDone: built.total },
    });
    await recordAudit({ tenantId: x.tenantId, actorType: "SYSTEM", action: "data_export.completed", targetType: "data_export", targetId: x.id, metadata: { scope: x.scope, sizeBytes: built.sizeBytes, counts: built.counts } });
    return { status: "ready" as const, sizeBytes: built.sizeBytes };
  } finally {
    await rm(file, { force: true });
  }
};
