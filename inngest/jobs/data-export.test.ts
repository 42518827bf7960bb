/**
 * The data-export job through the real Inngest SDK (InngestTestEngine), on real PostgreSQL and a
 * temporary fs object store: a build ends ready with the requester e-mailed, the stored object
 * sealed (no zip and none of the workspace's text in it); an archive over the
 * bound stops for good with exportTooLarge (what onFailure records and mails); a suspended
 * workspace is not exported.
 */
import { InngestTestEngine } from "@inngest/test";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it, vi } from "vitest";

const ENV = vi.hoisted(() => {
  const root = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-data-export-job-${process.pid}-${Date.now()}`;
  process.env.STORAGE_DRIVER = "fs";
  process.env.STORAGE_FS_ROOT = root;
  return { root };
});

import { createTenantWithMembers, uid } from "../../prisma/factories";
import { db } from "~/server/db/client";
import { createFsStorage } from "~/server/infra/storage";
import { markExportFailed, notifyExportRequester } from "~/server/services/privacy/export/lifecycle";
import { dataExport } from "./data-export";

afterAll(async () => {
  await rm(ENV.root, { recursive: true, force: true });
});

const engine = () => new InngestTestEngine({ function: dataExport });
const APP_URL = "http://localhost:3000";
const eventFor = (tenantId: string, exportId: string) => ({ name: "privacy/data-export.requested" as const, data: { tenantId, exportId, appUrl: APP_URL, locale: "en" } });

const mailTo = (email: string) => db.devMail.findMany({ where: { to: email.toLowerCase() }, orderBy: { createdAt: "desc" } });

describe("jobs/data-export (InngestTestEngine)", () => {
  it("builds the archive, marks the export ready and e-mails the requester where to download it", async () => {
    const fx = await createTenantWithMembers();
    await db.conversation.create({ data: { tenantId: fx.tenant.id, userId: fx.owner.id, personaKey: "cfo", title: "Runway", messages: { create: { tenantId: fx.tenant.id, role: "user", content: "How long is our runway?" } } } });
    const x = await db.dataExport.create({ data: { tenantId: fx.tenant.id, requestedById: fx.owner.id, scope: "workspace" } });
    const { result, error } = await engine().execute({ events: [eventFor(fx.tenant.id, x.id)] });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "ready" });
    const row = await db.dataExport.findUniqueOrThrow({ where: { id: x.id } });
    expect(row).toMatchObject({ status: "ready", storageKey: `exports/${fx.tenant.id}/${x.id}.zip` });
    expect(row.progressTotal).toBeGreaterThan(0);
    expect(row.progressDone).toBe(row.progressTotal);
    // Sealed at rest under a key kept only encrypted on the row; the default storage (no region configured).
    expect(row).toMatchObject({ storageRegion: null, archiveKeyCiphertext: expect.stringMatching(/^ocs1\./), archiveKeyVersion: 1 });
    const stored = Buffer.from(await createFsStorage(ENV.root).get(row.storageKey!));
    expect(stored.subarray(0, 4).toString("latin1")).toBe("ocx1");
    for (const plain of ["PK\x03\x04", "How long is our runway?", "Runway", "manifest.json"]) expect(stored.includes(Buffer.from(plain, "latin1"))).toBe(false);
    const [mail] = await mailTo(fx.owner.email);
    expect(mail?.subject).toBe(`Your ${fx.tenant.name} data export is ready`);
    expect(mail?.text).toContain(`${APP_URL}/en/t/${fx.tenant.slug}/settings/privacy`);
  });

  it("stops for good with exportTooLarge, and the requester is told what to do", async () => {
    const fx = await createTenantWithMembers();
    // Two documents whose originals alone are past the bound (2 GiB by default): refused before a byte is written.
    for (const name of ["huge-1", "huge-2"]) {
      await db.document.create({
        data: { tenantId: fx.tenant.id, uploadedById: fx.member.id, title: name, filename: `${name}.pdf`, kind: "pdf", mimeType: "application/pdf", sizeBytes: 2_000_000_000, sha256: uid(32), storageKey: `tenants/${fx.tenant.id}/documents/${name}/original` },
      });
    }
    const x = await db.dataExport.create({ data: { tenantId: fx.tenant.id, requestedById: fx.member.id, scope: "user" } });
    const { error } = await engine().execute({ events: [eventFor(fx.tenant.id, x.id)] });
    expect(error).toMatchObject({ name: "NonRetriableError", message: "exportTooLarge" });
    // What onFailure runs with that message.
    await markExportFailed(x.id, "exportTooLarge");
    await notifyExportRequester(x.id, { appUrl: APP_URL, locale: "es" });
    expect(await db.dataExport.findUniqueOrThrow({ where: { id: x.id } })).toMatchObject({ status: "failed", errorReason: "exportTooLarge" });
    const [mail] = await mailTo(fx.member.email);
    expect(mail?.subject).toBe(`No se pudo generar tu exportación de datos de ${fx.tenant.name}`);
    expect(mail?.text).toContain("EXPORT_MAX_BYTES");
    expect(mail?.text).toContain(`${APP_URL}/es/account`);
    expect(await db.auditEvent.count({ where: { chain: fx.tenant.id, action: "data_export.failed", targetId: x.id } })).toBe(1);
  });

  it("does not export a suspended workspace", async () => {
    const fx = await createTenantWithMembers({ status: "SUSPENDED" });
    const x = await db.dataExport.create({ data: { tenantId: fx.tenant.id, requestedById: fx.owner.id, scope: "workspace" } });
    const { error } = await engine().execute({ events: [eventFor(fx.tenant.id, x.id)] });
    expect(error).toMatchObject({ name: "NonRetriableError", message: "tenantSuspended" });
    expect(await db.dataExport.findUniqueOrThrow({ where: { id: x.id } })).toMatchObject({ status: "queued", storageKey: null });
  });
});
