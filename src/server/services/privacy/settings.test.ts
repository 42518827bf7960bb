/**
 * The privacy settings service on real PostgreSQL: roles, bounds (the audit legal minimum),
 * "keep", the audit event of a change, the telemetry cache invalidation, and data residency
 * choosing where a new upload's original is stored (the real fs driver, two temporary folders:
 * the default storage and the EU region's, through STORAGE_REGIONS; a real local Inngest
 * executor receives the ingestion event).
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Set before src/env.js is imported: a default fs storage and an EU storage of its own; the US
// region has no entry (its workspaces use the default storage).
const ENV = vi.hoisted(() => {
  const base = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-privacy-settings-test-${process.pid}-${Date.now()}`;
  const saved = Object.fromEntries(["STORAGE_DRIVER", "STORAGE_FS_ROOT", "STORAGE_REGIONS"].map((k) => [k, process.env[k]]));
  process.env.STORAGE_DRIVER = "fs";
  process.env.STORAGE_FS_ROOT = `${base}/default`;
  process.env.STORAGE_REGIONS = JSON.stringify({ eu: { driver: "fs", root: `${base}/eu` } });
  return { saved, base, defaultRoot: `${base}/default`, euRoot: `${base}/eu` };
});

import { startExecutor } from "../../../../inngest/local/testing/harness";
import { createTenantWithMembers, tenantCtxOf, type TenantFixture } from "../../../../prisma/factories";
import { RETENTION_MAX_DAYS } from "~/lib/retention";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { hasRegionalStorage, storageForRegion, storageRegionFor } from "~/server/infra/storage";
import { isTelemetryAllowed, primeTenantTelemetry } from "~/server/infra/privacy-telemetry";
import { deleteDocument } from "../knowledge/document-delete";
import { readOriginal } from "../knowledge/document-reads";
import { uploadDocument } from "../knowledge/document-upload";
import { getPrivacySettings, updatePrivacySettings } from "./settings";

let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  exec = await startExecutor({ db });
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec.close();
  await rm(ENV.base, { recursive: true, force: true });
  for (const [k, v] of Object.entries(ENV.saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const ctxOf = (f: TenantFixture, who: "owner" | "admin" | "member" | "viewer") => tenantCtxOf(f.tenant, f[who], f[who].role);
const privacyEvents = (tenantId: string) => db.auditEvent.findMany({ where: { tenantId, action: "privacy.settings_updated" }, orderBy: { seq: "asc" } });
const KEEP_ALL = { conversations: null, meetings: null, tasks: null, documents: null, llmCalls: null, audit: null };

describe("getPrivacySettings", () => {
  it("gives owners the defaults as editable, admins as read-only, and refuses members and viewers", async () => {
    const f = await createTenantWithMembers();
    const defaults = { telemetryEnabled: true, dataResidency: "us", retention: KEEP_ALL, regionalStorage: { us: false, eu: true } };
    expect(await getPrivacySettings(ctxOf(f, "owner"))).toEqual({ ...defaults, canEdit: true });
    expect(await getPrivacySettings(ctxOf(f, "admin"))).toEqual({ ...defaults, canEdit: false });
    await expect(getPrivacySettings(ctxOf(f, "member"))).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    await expect(getPrivacySettings(ctxOf(f, "viewer"))).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
  });
});

describe("updatePrivacySettings", () => {
  it("lets an owner change every setting, and audits the changed fields old → new in one event", async () => {
    const f = await createTenantWithMembers();
    const retention = { conversations: 30, meetings: 60, tasks: 90, documents: 180, llmCalls: 7, audit: 365 };
    const after = await updatePrivacySettings(ctxOf(f, "owner"), { telemetryEnabled: false, dataResidency: "eu", retention });
    expect(after).toEqual({ telemetryEnabled: false, dataResidency: "eu", retention, canEdit: true, regionalStorage: { us: false, eu: true } });

    const row = await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } });
    expect(row).toMatchObject({
      telemetryEnabled: false,
      dataResidency: "eu",
      retentionConversationsDays: 30,
      retentionMeetingsDays: 60,
      retentionTasksDays: 90,
      retentionDocumentsDays: 180,
      retentionLlmCallsDays: 7,
      retentionAuditDays: 365,
    });

    const events = await privacyEvents(f.tenant.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: f.owner.id, actorType: "USER", targetType: "tenant", targetId: f.tenant.id, result: "SUCCESS" });
    expect(events[0]!.metadata).toEqual({
      changes: {
        telemetryEnabled: { from: true, to: false },
        dataResidency: { from: "us", to: "eu" },
        "retention.conversations": { from: null, to: 30 },
        "retention.meetings": { from: null, to: 60 },
        "retention.tasks": { from: null, to: 90 },
        "retention.documents": { from: null, to: 180 },
        "retention.llmCalls": { from: null, to: 7 },
        "retention.audit": { from: null, to: 365 },
      },
    });
  });

  it("only touches the fields given, audits only real changes, and null sets a window back to keep", async () => {
    const f = await createTenantWithMembers();
    const owner = ctxOf(f, "owner");
    await updatePrivacySettings(owner, { retention: { conversations: 30, audit: 400 } });
    const after = await updatePrivacySettings(owner, { retention: { conversations: null, audit: 400 } });
    expect(after.retention).toEqual({ ...KEEP_ALL, audit: 400 });
    expect(after.telemetryEnabled).toBe(true);

    // The same values again: nothing changed, nothing audited.
    await updatePrivacySettings(owner, { telemetryEnabled: true, retention: { audit: 400 } });
    const events = await privacyEvents(f.tenant.id);
    expect(events.map((e) => e.metadata)).toEqual([
      { changes: { "retention.conversations": { from: null, to: 30 }, "retention.audit": { from: null, to: 400 } } },
      { changes: { "retention.conversations": { from: 30, to: null } } },
    ]);
  });

  it("refuses an audit window under the legal minimum of 365 days with its own reason, and writes nothing", async () => {
    const f = await createTenantWithMembers();
    await expect(updatePrivacySettings(ctxOf(f, "owner"), { telemetryEnabled: false, retention: { conversations: 30, audit: 364 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      reason: "retentionBelowMinimum",
      params: { retentionClass: "audit", min: 365 },
    });
    const row = await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } });
    expect(row).toMatchObject({ telemetryEnabled: true, retentionConversationsDays: null, retentionAuditDays: null });
    expect(await privacyEvents(f.tenant.id)).toEqual([]);
  });

  it("accepts the bounds themselves and refuses beyond them, non-integers and unknown regions as invalid input", async () => {
    const f = await createTenantWithMembers();
    const owner = ctxOf(f, "owner");
    const edge = await updatePrivacySettings(owner, { retention: { conversations: 1, audit: RETENTION_MAX_DAYS } });
    expect(edge.retention).toMatchObject({ conversations: 1, audit: RETENTION_MAX_DAYS });
    for (const bad of [
      { retention: { conversations: 0 } },
      { retention: { documents: RETENTION_MAX_DAYS + 1 } },
      { retention: { tasks: 1.5 } },
      { retention: { unknownClass: 30 } },
      { dataResidency: "mars" },
    ]) {
      await expect(updatePrivacySettings(owner, bad as never), JSON.stringify(bad)).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    }
    expect((await getPrivacySettings(owner)).retention).toMatchObject({ conversations: 1, audit: RETENTION_MAX_DAYS });
  });

  it("refuses admins, members and viewers (owners only) and writes nothing", async () => {
    const f = await createTenantWithMembers();
    for (const who of ["admin", "member", "viewer"] as const) {
      await expect(updatePrivacySettings(ctxOf(f, who), { telemetryEnabled: false })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    }
    expect((await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).telemetryEnabled).toBe(true);
    expect(await privacyEvents(f.tenant.id)).toEqual([]);
  });

  it("drops the telemetry pipeline's cached setting when telemetry changes (not at the cache's TTL)", async () => {
    const f = await createTenantWithMembers();
    primeTenantTelemetry(f.tenant.id, true, f.tenant.slug);
    expect(isTelemetryAllowed(f.tenant.id)).toBe(true);
    // Another setting: the cached telemetry answer stays.
    await updatePrivacySettings(ctxOf(f, "owner"), { dataResidency: "eu" });
    expect(isTelemetryAllowed(f.tenant.id)).toBe(true);
    // Telemetry off: forgotten at once, so spans are redacted until the new value is read.
    await updatePrivacySettings(ctxOf(f, "owner"), { telemetryEnabled: false });
    expect(isTelemetryAllowed(f.tenant.id)).toBe(false);
  });
});

describe("data residency and where new originals are stored", () => {
  const upload = (f: TenantFixture, text: string) => uploadDocument(ctxOf(f, "member"), { filename: "notes.md", bytes: new TextEncoder().encode(`# ${text}\n\nResidency test.\n`) });
  const filesUnder = async (root: string, tenantId: string) => readdir(path.join(root, "tenants", tenantId, "documents")).catch(() => [] as string[]);

  it("maps a preference to a storage region only when the operator configured one", () => {
    expect(hasRegionalStorage("eu")).toBe(true);
    expect(hasRegionalStorage("us")).toBe(false);
    expect(storageRegionFor("eu")).toBe("eu");
    expect(storageRegionFor("us")).toBeNull();
    expect(storageRegionFor("mars")).toBeNull();
    expect(() => storageForRegion("us")).toThrow(/No storage is configured for region "us"/);
  });

  it("stores a new upload in the preferred region's storage and reads and deletes it there; earlier uploads stay in the default storage", async () => {
    const f = await createTenantWithMembers();
    const before = await upload(f, `Before ${f.tenant.id}`);
    expect((await db.document.findUniqueOrThrow({ where: { id: before.document.id } })).storageRegion).toBeNull();
    expect(await filesUnder(ENV.defaultRoot, f.tenant.id)).toEqual([before.document.id]);

    await updatePrivacySettings(ctxOf(f, "owner"), { dataResidency: "eu" });
    const after = await upload(f, `After ${f.tenant.id}`);
    expect((await db.document.findUniqueOrThrow({ where: { id: after.document.id } })).storageRegion).toBe("eu");
    expect(await filesUnder(ENV.euRoot, f.tenant.id)).toEqual([after.document.id]);
    expect(await filesUnder(ENV.defaultRoot, f.tenant.id)).toEqual([before.document.id]);

    // Each original is read from where it was written.
    expect(new TextDecoder().decode((await readOriginal(ctxOf(f, "member"), { id: after.document.id })).bytes)).toContain(`After ${f.tenant.id}`);
    expect(new TextDecoder().decode((await readOriginal(ctxOf(f, "member"), { id: before.document.id })).bytes)).toContain(`Before ${f.tenant.id}`);

    await expect(deleteDocument(ctxOf(f, "admin"), { id: after.document.id })).resolves.toEqual({ id: after.document.id, originalDeleted: true });
    expect(await filesUnder(ENV.euRoot, f.tenant.id)).toEqual([]);
    expect(await filesUnder(ENV.defaultRoot, f.tenant.id)).toEqual([before.document.id]);
  });
});
