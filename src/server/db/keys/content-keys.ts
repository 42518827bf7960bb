import "server-only";
import { randomBytes } from "node:crypto";
import { CryptoError, deriveContentKeys, isSealedText, openText, parseCiphertextHeader, sealText, tenantOfSealedText, type ContentKeys } from "@ocsuite/crypto";
import { LRUCache } from "lru-cache";
import { env } from "~/env";
import { baseDbOrTx, type TxScope } from "../base-client";
import { openSealedRows } from "../content-encryption";
import type { PrismaClient } from "../generated/client";
import { tenantCrypto } from "./tenant-crypto";

/*
 * A workspace's content key (ADR 0015): 256 random bits, created on the workspace's first sealed
 * write, stored only as TenantContentKey.keyCiphertext under the workspace's data key. Every
 * sealed content column (src/server/db/content-encryption.ts) and the blind search index derive
 * from it. Unwrapped keys are cached per process for KEY_CACHE_TTL_SECONDS, like the data keys
 * they depend on: after a workspace's keys are shredded, another process may still open its rows
 * for at most that long (the purge has deleted them by then).
 */

/** The AAD field of the content key's ciphertext. */
export const CONTENT_KEY_FIELD = "tenant-content-key";

const globalForKeys = globalThis as unknown as { ocsuiteContentKeys?: LRUCache<string, Promise<ContentKeys>> };
const cache = (globalForKeys.ocsuiteContentKeys ??= new LRUCache<string, Promise<ContentKeys>>({ max: 10_000, ttl: env.KEY_CACHE_TTL_SECONDS * 1000 }));

/** The columns of a content key ciphertext (its data-key version read from the header). */
export const contentKeyRow = (keyCiphertext: string) => ({ keyCiphertext, keyVersion: parseCiphertextHeader(keyCiphertext).keyVersion });

type Via = { via?: Pick<PrismaClient, "tenantContentKey">; scope?: TxScope };

const load = async (tenantId: string, create: boolean, { via = baseDbOrTx(), scope }: Via): Promise<ContentKeys> => {
  let row = await via.tenantContentKey.findUnique({ where: { tenantId }, select: { keyCiphertext: true } });
  // A reader never mints a key: sealed text without its key row is unreadable, not re-keyed.
  if (!row && !create) throw new CryptoError("NO_ACTIVE_KEY", "the workspace has no content key");
  if (!row) {
    const raw = randomBytes(32);
    const keyCiphertext = await tenantCrypto().encryptField({ tenantId, field: CONTENT_KEY_FIELD, plaintext: raw.toString("base64url") });
    raw.fill(0);
    // Two processes may create it at once: the first insert wins, both read the winner back.
    await via.tenantContentKey.createMany({ data: [{ tenantId, ...contentKeyRow(keyCiphertext) }], skipDuplicates: true });
    row = await via.tenantContentKey.findUniqueOrThrow({ where: { tenantId }, select: { keyCiphertext: true } });
    // Created inside a transaction that then fails: the row is gone, so must the cached key be.
    scope?.onRollback.push(() => forgetContentKeys(tenantId));
  }
  const raw = Buffer.from(await tenantCrypto().decryptField({ tenantId, field: CONTENT_KEY_FIELD, ciphertext: row.keyCiphertext }), "base64url");
  try {
    return deriveContentKeys(tenantId, raw);
  } finally {
    raw.fill(0);
  }
};

/**
 * The workspace's content keys: to seal, created on first use; to open, NO_ACTIVE_KEY when it has
 * none. Throws the data key's CryptoError when it cannot be unwrapped (KEY_DESTROYED once the
 * workspace was shredded). `via`: the client or transaction to read the key row with (default: the
 * caller's transaction, else the app's client).
 */
export const contentKeysFor = (tenantId: string, purpose: "seal" | "open" = "seal", via: Via = {}): Promise<ContentKeys> => {
  const cached = cache.get(tenantId);
  if (cached) return cached;
  const loading = load(tenantId, purpose === "seal", via);
  cache.set(tenantId, loading);
  loading.catch(() => {
    if (cache.get(tenantId) === loading) cache.delete(tenantId);
  });
  return loading;
};

/** Drops this process's cached content key of a workspace (its keys were just shredded), or all of them. */
export const forgetContentKeys = (tenantId?: string): void => {
  if (tenantId) cache.delete(tenantId);
  else cache.clear();
};

/** Opens sealed columns of raw SQL rows (column alias → the "Model.field" it was read from), in place. */
export const openSealedColumns = <T extends Record<string, unknown>>(rows: T[], columns: Readonly<Record<string, string>>): Promise<T[]> => openSealedRows(rows, columns, contentKeysFor);

/** The AAD field of a job step's sealed value. */
const STEP_VALUE_FIELD = "InngestStep.output";

/**
 * A job step's return value sealed under the workspace's content key: what Inngest memoizes (in
 * Inngest Cloud or the local executor's table) is ciphertext, not the plan, passages or draft.
 */
export const sealStepValue = async (tenantId: string, value: unknown): Promise<{ sealed: string }> => ({
  sealed: sealText(await contentKeysFor(tenantId), STEP_VALUE_FIELD, JSON.stringify(value)),
});

/** The value sealStepValue sealed (as JSON: what a step's value always is). */
export const openStepValue = async <T>(tenantId: string, stored: { sealed: string }): Promise<T> =>
  JSON.parse(openText(await contentKeysFor(tenantId, "open"), STEP_VALUE_FIELD, stored.sealed)) as T;

/**
 * The workspace's own profile (Tenant.industry and .description: its business in its own words,
 * in every persona's prompt). Sealed by the service that writes it rather than by the model
 * extension: a Tenant row is created before any key of the workspace can exist, and its relations
 * reach every table, so the extension stays off it. A value that is not sealed (the seeded demo, a
 * row from before) is read as it is; `npm run content:seal` seals it.
 */
type Profile = { industry?: string | null; description?: string | null };
const PROFILE_FIELDS = ["industry", "description"] as const;

export const sealTenantProfile = async <T extends Profile>(tenantId: string, profile: T): Promise<T> => {
  const out: T = { ...profile };
  for (const f of PROFILE_FIELDS) {
    const v = profile[f];
    if (typeof v === "string") out[f] = sealText(await contentKeysFor(tenantId), `Tenant.${f}`, v) as T[typeof f];
  }
  return out;
};

/** Opens a profile read from the workspace `tenantId`; a value sealed for another workspace is refused (DECRYPT_FAILED). */
export const openTenantProfile = async <T extends Profile>(tenantId: string, row: T): Promise<T> => {
  const out: T = { ...row };
  for (const f of PROFILE_FIELDS) {
    const v = row[f];
    if (typeof v !== "string" || !isSealedText(v)) continue;
    if (tenantOfSealedText(v) !== tenantId) throw new CryptoError("DECRYPT_FAILED", `Tenant.${f} of ${tenantId} holds another workspace's sealed value`);
    out[f] = openText(await contentKeysFor(tenantId, "open"), `Tenant.${f}`, v) as T[typeof f];
  }
  return out;
};
