/**
 * Sealed, region-resident export archives on real PostgreSQL and the real fs driver (two temporary
 * folders through STORAGE_DRIVER / STORAGE_REGIONS: the default storage and the EU region's, no
 * storage injected): a workspace preferring the EU gets its archive stored there, served from
 * there, and expiry, the workspace purge and account deletion delete it there. Once the workspace's
 * data keys are shredded, the archive (and a copy of it) can no longer be opened: the download is
 * refused with exportUnreadable (412, a translated reason), never a 500; an object swapped for
 * another export's is refused the same way.
 */
import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it, vi } from "vitest";

const ENV = vi.hoisted(() => {
  const base = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-export-sealed-test-${process.pid}-${Date.now()}`;
  const saved = Object.fromEntries(["STORAGE_DRIVER", "STORAGE_FS_ROOT", "STORAGE_REGIONS"].map((k) => [k, process.env[k]]));
  process.env.STORAGE_DRIVER = "fs";
  process.env.STORAGE_FS_ROOT = `${base}/default`;
  process.env.STORAGE_REGIONS = JSON.stringify({ eu: { driver: "fs", root: `${base}/eu` } });
  return { saved, base, defaultRoot: `${base}/default`, euRoot: `${base}/eu` };
});

import { createTenantWithMembers, TEST_META, tenantCtxOf, userCtxOf, type TenantFixture } from "../../../../../prisma/factories";
import en from "~/i18n/messages/en.json";
import es from "~/i18n/messages/es.json";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { appErrorResponse } from "~/server/http/kit/error-response";
import { createFsStorage } from "~/server/infra/storage";
import { shredTenantKeys } from "../../key-rotation/shred-tenant-keys";
import { deleteAccount } from "../account-deletion";
import { purgeWorkspaceExports } from "../workspace-purge";
import { buildExport, exportObjectKey } from "./build-export";
import { openExportDownload } from "./download";
import { expireExports } from "./lifecycle";
import { readArchive } from "./read-archive";
import { signExportLink } from "./signed-link";

afterAll(async () => {
  await rm(ENV.base, { recursive: true, force: true });
  for (const [k, v] of Object.entries(ENV.saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const defaultStore = createFsStorage(ENV.defaultRoot);
const euStore = createFsStorage(ENV.euRoot);
const exists = (store: typeof euStore, key: string) => store.get(key).then(() => true, () => false);

const workspace = async (dataResidency: "eu" | "us") => {
  const fx = await createTenantWithMembers();
  await db.tenant.update({ where: { id: fx.tenant.id }, data: { dataResidency } });
  await db.conversation.create({ data: { tenantId: fx.tenant.id, userId: fx.owner.id, personaKey: "cfo", title: "Runway plan", messages: { create: { tenantId: fx.tenant.id, role: "user", content: "How long is our runway?" } } } });
  return fx;
};

const built = async (fx: TenantFixture, scope: "workspace" | "user" = "workspace", requester = fx.owner) => {
  const x = await db.dataExport.create({ data: { tenantId: fx.tenant.id, requestedById: requester.id, scope } });
  expect(await buildExport(x.id)).toMatchObject({ status: "ready" });
  return db.dataExport.findUniqueOrThrow({ where: { id: x.id } });
};

const download = async (fx: TenantFixture, exportId: string) => {
  const expires = Math.floor(Date.now() / 1000) + 60;
  const out = await openExportDownload(tenantCtxOf(fx.tenant, fx.owner, "OWNER"), { exportId, expires: String(expires), sig: signExportLink(exportId, fx.tenant.id, expires) });
  return new Uint8Array(await new Response(out.body).arrayBuffer());
};

/** A downloaded zip saved to a file (what readArchive reads). */
const saved = async (zip: Uint8Array) => {
  const file = `${ENV.base}/download-${Date.now()}-${Math.random().toString(36).slice(2)}.zip`;
  await writeFile(file, zip);
  return file;
};

describe("export archives in the residency region", () => {
  it("a workspace preferring the EU has its archive stored, served and expired in the EU storage", async () => {
    const fx = await workspace("eu");
    const row = await built(fx);
    const key = exportObjectKey(fx.tenant.id, row.id);
    expect(row).toMatchObject({ storageRegion: "eu", storageKey: key });
    expect(await exists(euStore, key)).toBe(true);
    expect(await exists(defaultStore, key)).toBe(false);
    const sealed = Buffer.from(await euStore.get(key));
    expect(sealed.includes(Buffer.from("Runway plan"))).toBe(false);
    expect(sealed.subarray(0, 4).toString("latin1")).toBe("ocx1");

    const zip = await download(fx, row.id);
    expect(createHash("sha256").update(zip).digest("hex")).toBe(row.sha256);

    await expireExports({ now: new Date(Date.now() + 400 * 3_600_000) });
    expect(await db.dataExport.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "expired", storageKey: null, archiveKeyCiphertext: null });
    expect(await exists(euStore, key)).toBe(false);
  });

  it("a workspace without a region of its own keeps the default storage (storageRegion null)", async () => {
    const fx = await workspace("us");
    const row = await built(fx);
    expect(row.storageRegion).toBeNull();
    expect(await exists(defaultStore, row.storageKey!)).toBe(true);
  });

  it("the workspace purge and account deletion delete archives where they were stored", async () => {
    const fx = await workspace("eu");
    const whole = await built(fx);
    const mine = await built(fx, "user", fx.member);
    expect([whole.storageRegion, mine.storageRegion]).toEqual(["eu", "eu"]);

    await deleteAccount({ ...userCtxOf(fx.member), meta: TEST_META }, { confirmation: fx.member.email });
    expect(await exists(euStore, mine.storageKey!)).toBe(false);
    expect(await exists(euStore, whole.storageKey!)).toBe(true);

    expect(await purgeWorkspaceExports(fx.tenant.id)).toBe(1);
    expect(await exists(euStore, whole.storageKey!)).toBe(false);
  });
});

describe("sealed archives and crypto-shredding", () => {
  it("an object swapped for another export's is refused (the archive is bound to its export)", async () => {
    const fx = await workspace("us");
    const [a, b] = [await built(fx), await built(fx)];
    await defaultStore.put(b.storageKey!, await defaultStore.get(a.storageKey!));
    await expect(download(fx, b.id)).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "exportUnreadable" });
    expect((await readArchive(await saved(await download(fx, a.id)))).problems).toEqual([]);
  });

  it("after the workspace's data keys are shredded, the archive and any copy of it cannot be opened: a clear, translated refusal", async () => {
    const fx = await workspace("eu");
    const row = await built(fx);
    const copy = await euStore.get(row.storageKey!);
    expect(createHash("sha256").update(await download(fx, row.id)).digest("hex")).toBe(row.sha256);

    await shredTenantKeys(fx.tenant.id);
    // The copy put back where it was (a restored bucket version or backup): still unopenable.
    await euStore.put(row.storageKey!, copy);
    const err = await download(fx, row.id).catch((e: unknown) => e);
    expect(isAppError(err) && err.reason).toBe("exportUnreadable");
    expect((err as Error).cause).toMatchObject({ code: "KEY_DESTROYED" });
    // What the route answers: 412 with the reason the UI translates (in both languages), not a 500.
    const res = appErrorResponse(err as never);
    expect(res.status).toBe(412);
    expect(await res.json()).toMatchObject({ error: { reason: "exportUnreadable" } });
    expect(en.errors.exportUnreadable).toMatch(/no longer be decrypted/);
    expect(es.errors.exportUnreadable).toMatch(/ya no se puede descifrar/);
  });
});
