import "server-only";
import { env } from "~/env";
import { db } from "~/server/db/client";
import type { TenantCtx } from "../context";
import { tenantCrypto, masterKeyRing, workspaceKeyVault } from "~/server/db/keys/tenant-crypto";
import { countStaleDataKeys } from "./master-key-rotation";
import { IN_FLIGHT, toRotationDto, type RotationDto } from "./rotation-rows";

const DAY = 86_400_000;
const HISTORY = 10;

export type KeyVersionDto = {
  version: number;
  status: "active" | "decrypt-only" | "retired" | "destroyed";
  createdAt: Date;
  deactivatedAt: Date | null;
  retiredAt: Date | null;
  destroyedAt: Date | null;
  kekVersion: number;
  /** Secrets currently encrypted under this version. */
  secrets: number;
  /** When destroying a retired version becomes allowed (null: not retired). */
  destroyableFrom: Date | null;
};

export type TenantKeyStatus = {
  activeVersion: number | null;
  activeSince: Date | null;
  policyDays: number;
  /** How long a replaced version stays decrypt-only (rollback possible) before it is retired. */
  rollbackWindowHours: number;
  nextRotationDue: Date | null;
  versions: KeyVersionDto[];
  /** An operation in flight or in its rollback window. */
  current: RotationDto | null;
  lastCompleted: RotationDto | null;
  history: RotationDto[];
  canRotate: boolean;
  canRollback: boolean;
  /**
   * What deleting the workspace destroys besides its data keys (ADR 0016): its key in the key
   * vault ("file" or "vault"), or nothing more ("none"). `covered`: every live data key is wrapped
   * under it (false until the operator's upgrade step moved keys from before the vault).
   */
  deletionKey: { vault: "file" | "vault" | "none"; covered: boolean };
};

/** What the owner's security page shows: versions with their secret counts, the operation in progress, the history. */
export const getTenantKeyStatus = async (ctx: TenantCtx): Promise<TenantKeyStatus> => {
  const [keys, credentials, documents, exports, contentKey, operations] = await Promise.all([
    tenantCrypto().listTenantKeys(ctx.tenantId),
    db.providerCredential.groupBy({ by: ["keyVersion"], where: { tenantId: ctx.tenantId }, _count: true }),
    db.document.groupBy({ by: ["contentKeyVersion"], where: { tenantId: ctx.tenantId, contentKeyVersion: { not: null } }, _count: true }),
    db.dataExport.groupBy({ by: ["archiveKeyVersion"], where: { tenantId: ctx.tenantId, archiveKeyVersion: { not: null } }, _count: true }),
    db.tenantContentKey.findUnique({ where: { tenantId: ctx.tenantId }, select: { keyVersion: true } }),
    db.keyRotation.findMany({ where: { tenantId: ctx.tenantId }, orderBy: { startedAt: "desc" }, take: HISTORY }),
  ]);
  const perVersion = new Map(credentials.map((c) => [c.keyVersion, c._count]));
  for (const d of documents) if (d.contentKeyVersion !== null) perVersion.set(d.contentKeyVersion, (perVersion.get(d.contentKeyVersion) ?? 0) + d._count);
  // Each stored export archive's key (ADR 0017) is one more secret under its version.
  for (const x of exports) if (x.archiveKeyVersion !== null) perVersion.set(x.archiveKeyVersion, (perVersion.get(x.archiveKeyVersion) ?? 0) + x._count);
  // The workspace's content key (ADR 0015) is one more secret under its version.
  if (contentKey) perVersion.set(contentKey.keyVersion, (perVersion.get(contentKey.keyVersion) ?? 0) + 1);
  const active = keys.find((k) => k.status === "active") ?? null;
  const current = operations.find((o) => [...IN_FLIGHT, "waiting-retire"].includes(o.status)) ?? null;
  const lastCompleted = operations.find((o) => o.kind !== "master-key" && ["waiting-retire", "completed"].includes(o.status)) ?? null;
  const destroyAfterMs = env.KEY_DESTROY_AFTER_DAYS * DAY;
  const vault = workspaceKeyVault() ? env.OCSUITE_KEY_VAULT : ("none" as const);
  const ringKekId = masterKeyRing().kekId;
  const deletionKey = { vault, covered: vault !== "none" && keys.every((k) => k.status === "destroyed" || k.kekId === ringKekId) };
  return {
    deletionKey,
    activeVersion: active?.version ?? null,
    activeSince: active?.createdAt ?? null,
    policyDays: env.KEY_ROTATION_MAX_AGE_DAYS,
    rollbackWindowHours: env.KEY_ROTATION_RETIRE_AFTER_HOURS,
    nextRotationDue: active ? new Date(active.createdAt.getTime() + env.KEY_ROTATION_MAX_AGE_DAYS * DAY) : null,
    versions: keys.map((k) => ({
      version: k.version,
      status: k.status,
      createdAt: k.createdAt,
      deactivatedAt: k.deactivatedAt ?? null,
      retiredAt: k.retiredAt ?? null,
      destroyedAt: k.destroyedAt ?? null,
      kekVersion: k.kekVersion,
      secrets: perVersion.get(k.version) ?? 0,
      destroyableFrom: k.status === "retired" && k.retiredAt ? new Date(k.retiredAt.getTime() + destroyAfterMs) : null,
    })),
    current: current ? toRotationDto(current) : null,
    lastCompleted: lastCompleted ? toRotationDto(lastCompleted) : null,
    history: operations.map(toRotationDto),
    canRotate: !operations.some((o) => IN_FLIGHT.includes(o.status as never)),
    canRollback: lastCompleted?.kind === "data-key" && !operations.some((o) => IN_FLIGHT.includes(o.status as never)),
  };
};

export type FleetKeyStatus = {
  tenants: number;
  /** Tenants by the age of their active data key. */
  ageBuckets: { under30: number; from30to60: number; from60to90: number; overPolicy: number };
  policyDays: number;
  currentKekVersion: number;
  /** Data keys per master-key version (destroyed ones excluded). */
  dataKeysByKekVersion: { kekVersion: number; count: number }[];
  staleDataKeys: number;
  inFlight: number;
  failedLast30Days: number;
  recent: (RotationDto & { tenantId: string | null })[];
};

/** Platform admins' fleet view (audited by platformAdminProcedure). */
export const getFleetKeyStatus = async (now = new Date()): Promise<FleetKeyStatus> => {
  const keyRing = masterKeyRing();
  const [actives, byKek, inFlight, failed, recent, currentKekVersion, staleDataKeys] = await Promise.all([
    db.tenantDataKey.findMany({ where: { status: "active" }, select: { tenantId: true, createdAt: true } }),
    db.tenantDataKey.groupBy({ by: ["kekVersion"], where: { status: { not: "destroyed" } }, _count: true, orderBy: { kekVersion: "asc" } }),
    db.keyRotation.count({ where: { status: { in: [...IN_FLIGHT] } } }),
    db.keyRotation.count({ where: { status: "failed", startedAt: { gte: new Date(now.getTime() - 30 * DAY) } } }),
    db.keyRotation.findMany({ orderBy: { startedAt: "desc" }, take: 30 }),
    keyRing.currentVersion(),
    countStaleDataKeys(keyRing),
  ]);
  const ageBuckets = { under30: 0, from30to60: 0, from60to90: 0, overPolicy: 0 };
  const seen = new Set<string>();
  for (const k of actives) {
    if (seen.has(k.tenantId)) continue;
    seen.add(k.tenantId);
    const days = (now.getTime() - k.createdAt.getTime()) / DAY;
    if (days >= env.KEY_ROTATION_MAX_AGE_DAYS) ageBuckets.overPolicy += 1;
    else if (days < 30) ageBuckets.under30 += 1;
    else if (days < 60) ageBuckets.from30to60 += 1;
    else ageBuckets.from60to90 += 1;
  }
  return {
    tenants: seen.size,
    ageBuckets,
    policyDays: env.KEY_ROTATION_MAX_AGE_DAYS,
    currentKekVersion,
    dataKeysByKekVersion: byKek.map((b) => ({ kekVersion: b.kekVersion, count: b._count })),
    staleDataKeys,
    inFlight,
    failedLast30Days: failed,
    recent: recent.map((r) => ({ ...toRotationDto(r), tenantId: r.tenantId })),
  };
};
