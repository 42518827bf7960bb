import "server-only";
import { DATA_KEY_STATUSES, type DataKeyRecord, type DataKeyStatus, type DataKeyStore, type KeyWrapping } from "@ocsuite/crypto";
import { baseDbOrTx, currentTx } from "../base-client";
import { Prisma, type PrismaClient } from "../generated/client";

type Row = {
  tenantId: string;
  version: number;
  wrappedKey: Uint8Array;
  kekId: string;
  kekVersion: number;
  status: string;
  createdAt: Date;
  deactivatedAt: Date | null;
  retiredAt: Date | null;
  destroyedAt: Date | null;
};

const toStatus = (s: string): DataKeyStatus => {
  if ((DATA_KEY_STATUSES as readonly string[]).includes(s)) return s as DataKeyStatus;
  // A status this code does not know must never be used for writes or reads.
  return "retired";
};

const toRecord = (r: Row): DataKeyRecord => ({
  tenantId: r.tenantId,
  version: r.version,
  wrappedKey: Uint8Array.from(r.wrappedKey),
  kekId: r.kekId,
  kekVersion: r.kekVersion,
  status: toStatus(r.status),
  createdAt: r.createdAt,
  deactivatedAt: r.deactivatedAt,
  retiredAt: r.retiredAt,
  destroyedAt: r.destroyedAt,
});

const SELECT = {
  tenantId: true,
  version: true,
  wrappedKey: true,
  kekId: true,
  kekVersion: true,
  status: true,
  createdAt: true,
  deactivatedAt: true,
  retiredAt: true,
  destroyedAt: true,
} as const;

/**
 * @ocsuite/crypto's DataKeyStore on the TenantDataKey table: wrapped keys only,
 * never the unwrapped key. `insert` is atomic on the (tenantId, version) primary
 * key; `updateWrapping` is a compare-and-set on the expected KEK id/version.
 */
export class PrismaDataKeyStore implements DataKeyStore {
  /**
   * Default client: the caller's interactive transaction, else the process's client (base-client.ts,
   * TxScope). onInsertRolledBack: told when a key this store inserted inside a transaction is rolled
   * back with it (the envelope must stop using it).
   */
  constructor(
    private readonly source: PrismaClient | (() => PrismaClient) = baseDbOrTx,
    private readonly opts: { onInsertRolledBack?: (tenantId: string) => void } = {},
  ) {}

  private get client(): PrismaClient {
    return typeof this.source === "function" ? this.source() : this.source;
  }

  async list(tenantId: string): Promise<DataKeyRecord[]> {
    const rows = await this.client.tenantDataKey.findMany({ where: { tenantId }, select: SELECT, orderBy: { version: "asc" } });
    return rows.map(toRecord);
  }

  async get(tenantId: string, version: number): Promise<DataKeyRecord | null> {
    const row = await this.client.tenantDataKey.findUnique({ where: { tenantId_version: { tenantId, version } }, select: SELECT });
    return row ? toRecord(row) : null;
  }

  async insert(record: DataKeyRecord): Promise<boolean> {
    try {
      // ON CONFLICT DO NOTHING: a concurrent creator of the same version makes
      // count 0 without a failed statement (or an error line in the log).
      const { count } = await this.client.tenantDataKey.createMany({
        data: [
          {
            tenantId: record.tenantId,
            version: record.version,
            wrappedKey: Uint8Array.from(record.wrappedKey),
            kekId: record.kekId,
            kekVersion: record.kekVersion,
            status: record.status,
            createdAt: record.createdAt,
          },
        ],
        skipDuplicates: true,
      });
      // Inserted inside a transaction that then fails: the envelope must not keep using the key.
      const rolledBack = this.opts.onInsertRolledBack;
      if (count === 1 && rolledBack) currentTx()?.onRollback.push(() => rolledBack(record.tenantId));
      return count === 1;
    } catch (err) {
      // The contract: a unique violation is "someone else won", not an error.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return false;
      throw err;
    }
  }

  async updateStatus(tenantId: string, version: number, status: DataKeyStatus, at: Date = new Date()): Promise<boolean> {
    if (status === "decrypt-only") {
      // Only the active → decrypt-only step is a deactivation; a restore (retired → decrypt-only) keeps the original time.
      const demoted = await this.client.tenantDataKey.updateMany({ where: { tenantId, version, status: "active" }, data: { status, deactivatedAt: at } });
      if (demoted.count === 1) return true;
    }
    const { count } = await this.client.tenantDataKey.updateMany({
      where: { tenantId, version, status: { not: "destroyed" } },
      data: { status, retiredAt: status === "retired" ? at : null },
    });
    return count === 1;
  }

  async destroy(tenantId: string, version: number): Promise<boolean> {
    // Compare-and-set on "retired": the material is overwritten in the row, so nothing under this
    // version decrypts again (backups keep it until they expire: docs/runbooks/key-rotation.md).
    const { count } = await this.client.tenantDataKey.updateMany({
      where: { tenantId, version, status: "retired" },
      data: { status: "destroyed", wrappedKey: new Uint8Array(0), destroyedAt: new Date() },
    });
    return count === 1;
  }

  async updateWrapping(tenantId: string, version: number, next: KeyWrapping, expected: Pick<KeyWrapping, "kekId" | "kekVersion">): Promise<boolean> {
    const { count } = await this.client.tenantDataKey.updateMany({
      where: { tenantId, version, kekId: expected.kekId, kekVersion: expected.kekVersion },
      data: { wrappedKey: Uint8Array.from(next.wrappedKey), kekId: next.kekId, kekVersion: next.kekVersion },
    });
    return count === 1;
  }
}
