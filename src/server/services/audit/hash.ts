import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type HashableAuditEvent = {
  chain: string;
  seq: number;
  tenantId: string | null;
  actorId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  result: string;
  metadata: unknown;
  createdAt: Date;
  prevHash: string;
};

/** JSON with object keys sorted at every level, so the hash is stable. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
};

/** sha256 over the previous hash and every stored field of the event. */
export const hashAuditEvent = (e: HashableAuditEvent): string =>
  createHash("sha256")
    .update(
      canonicalJson({
        chain: e.chain,
        seq: e.seq,
        tenantId: e.tenantId,
        actorId: e.actorId,
        actorType: e.actorType,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        ip: e.ip,
        userAgent: e.userAgent,
        result: e.result,
        metadata: e.metadata ?? null,
        createdAt: e.createdAt,
        prevHash: e.prevHash,
      }),
    )
    .digest("hex");
