/**
 * Storage of wrapped per-tenant data keys. Persistence is the app's job (a
 * Prisma-backed store lives in the app); this package defines the contract
 * and ships an in-memory implementation for tests.
 *
 * Suggested table (one row per tenant and version):
 *   tenantId   text      -- FK to the tenant
 *   version    int       -- 1, 2, 3…   PRIMARY KEY (tenantId, version)
 *   wrappedKey bytea     -- KEK-wrapped data key; never the plaintext key
 *   kekId      text
 *   kekVersion int       -- index it: the rewrap job looks for old versions
 *   status     text      -- 'active' | 'decrypt-only' | 'retired' | 'destroyed'
 *   createdAt  timestamptz
 */

export const DATA_KEY_STATUSES = ["active", "decrypt-only", "retired", "destroyed"] as const;
export type DataKeyStatus = (typeof DATA_KEY_STATUSES)[number];

export type DataKeyRecord = {
  tenantId: string;
  version: number;
  wrappedKey: Uint8Array;
  kekId: string;
  kekVersion: number;
  status: DataKeyStatus;
  createdAt: Date;
  /** When the version stopped being active (rotation or rollback); stores that track it set it in updateStatus. */
  deactivatedAt?: Date | null;
  /** When it was retired (cleared by a restore) / its material destroyed. For display and policy. */
  retiredAt?: Date | null;
  destroyedAt?: Date | null;
};

export type KeyWrapping = Pick<DataKeyRecord, "wrappedKey" | "kekId" | "kekVersion">;

export interface DataKeyStore {
  /** All versions for the tenant, any status, any order. */
  list(tenantId: string): Promise<DataKeyRecord[]>;
  get(tenantId: string, version: number): Promise<DataKeyRecord | null>;
  /**
   * Inserts a new version. MUST be atomic on (tenantId, version) — a unique
   * constraint — and return false (not throw) when that version already
   * exists, so two processes creating/rotating at once cannot both win.
   */
  insert(record: DataKeyRecord): Promise<boolean>;
  /**
   * Returns false when the row does not exist. `at` is the time of the change:
   * active → decrypt-only records it as `deactivatedAt`, → retired as
   * `retiredAt` (and a restore clears `retiredAt`).
   */
  updateStatus(tenantId: string, version: number, status: DataKeyStatus, at?: Date): Promise<boolean>;
  /**
   * Compare-and-set of the wrapping (used by rewrap after a KEK rotation):
   * updates only if the row is still wrapped under `expected`, so concurrent
   * rewrap jobs are idempotent. Returns whether the row was updated.
   */
  updateWrapping(tenantId: string, version: number, next: KeyWrapping, expected: Pick<KeyWrapping, "kekId" | "kekVersion">): Promise<boolean>;
  /**
   * Irreversibly erases the wrapped key of a `retired` version and marks it
   * `destroyed` (a compare-and-set on status = retired). Returns whether the
   * row was destroyed by this call.
   */
  destroy(tenantId: string, version: number): Promise<boolean>;
}

/** Base64 helpers for stores that keep the wrapped key in a text column. */
export const wrappedKeyToBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
export const wrappedKeyFromBase64 = (text: string): Uint8Array => Buffer.from(text, "base64");

const copy = (r: DataKeyRecord): DataKeyRecord => ({ ...r, wrappedKey: Uint8Array.from(r.wrappedKey), createdAt: new Date(r.createdAt) });


/** In-memory DataKeyStore for tests. Returns copies, like a database would. */
export class InMemoryDataKeyStore implements DataKeyStore {
  readonly #rows = new Map<string, Map<number, DataKeyRecord>>();

  #tenant(tenantId: string): Map<number, DataKeyRecord> {
    let rows = this.#rows.get(tenantId);
    if (!rows) {
      rows = new Map();
      this.#rows.set(tenantId, rows);
    }
    return rows;
  }

  async list(tenantId: string): Promise<DataKeyRecord[]> {
    return [...(this.#rows.get(tenantId)?.values() ?? [])].map(copy);
  }

  async get(tenantId: string, version: number): Promise<DataKeyRecord | null> {
    const row = this.#rows.get(tenantId)?.get(version);
    return row ? copy(row) : null;
  }

  async insert(record: DataKeyRecord): Promise<boolean> {
    const rows = this.#tenant(record.tenantId);
    if (rows.has(record.version)) return false;
    rows.set(record.version, copy(record));
    return true;
  }

  async updateStatus(tenantId: string, version: number, status: DataKeyStatus, at: Date = new Date()): Promise<boolean> {
    const row = this.#rows.get(tenantId)?.get(version);
    if (!row) return false;
    if (row.status === "active" && status === "decrypt-only") row.deactivatedAt = new Date(at);
    row.retiredAt = status === "retired" ? new Date(at) : null;
    row.status = status;
    return true;
  }

  async updateWrapping(tenantId: string, version: number, next: KeyWrapping, expected: Pick<KeyWrapping, "kekId" | "kekVersion">): Promise<boolean> {
    const row = this.#rows.get(tenantId)?.get(version);
    if (!row || row.kekId !== expected.kekId || row.kekVersion !== expected.kekVersion) return false;
    row.wrappedKey = Uint8Array.from(next.wrappedKey);
    row.kekId = next.kekId;
    row.kekVersion = next.kekVersion;
    return true;
  }

  async destroy(tenantId: string, version: number): Promise<boolean> {
    const row = this.#rows.get(tenantId)?.get(version);
    if (!row || row.status !== "retired") return false;
    row.wrappedKey = new Uint8Array(0);
    row.status = "destroyed";
    row.destroyedAt = new Date();
    return true;
  }

  /** Test helper: every tenant id with at least one key. */
  tenantIds(): string[] {
    return [...this.#rows.keys()];
  }
}
