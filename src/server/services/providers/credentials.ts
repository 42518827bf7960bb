import "server-only";
import { randomUUID } from "node:crypto";
import { isCryptoError, parseCiphertextHeader } from "@ocsuite/crypto";
import { z } from "zod";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { recordAudit } from "../audit/audit";
import type { RequestMeta, TenantCtx } from "../context";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { readStreamWithLimit } from "~/server/infra/body-limit";
import { guardedFetch, isNonPublicHostLiteral, isOutboundBlocked, privateProviderUrlsAllowed, type FetchLike } from "~/server/infra/outbound-fetch";

/*
 * Tenant LLM provider credentials (BYOK). The API key is stored only as an
 * @ocsuite/crypto ciphertext bound to (tenant, "provider-credential:<id>"), is
 * never returned by anything but getDecryptedCredential (server-only, for the
 * LLM gateway), and never logged or put in an audit event. Create, delete,
 * failed tests and failed uses are audited with {provider, label, last4}.
 */

export const PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const DEFAULT_BASE_URLS: Record<Provider, string | null> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
  "openai-compatible": null,
};

export const TEST_TIMEOUT_MS = 10_000;
const MAX_TEST_RESPONSE_BYTES = 1_000_000;
const MAX_MODELS = 20;

/** Empty strings from forms mean "not given". */
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https, or plain http to this machine only (a local model server). No credentials or fragments in the URL. */
export const isAllowedBaseUrl = (value: string): boolean => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash || url.search) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
};

export const ZProvider = z.enum(PROVIDERS);
/** Printable ASCII without spaces: what providers issue, and nothing that could split an HTTP header. */
export const ZApiKey = z
  .string()
  .trim()
  .min(8)
  .max(512)
  .regex(/^[\x21-\x7e]+$/);
export const ZCredentialLabel = z.string().trim().min(1).max(80);
export const ZBaseUrl = z.string().trim().max(500).refine(isAllowedBaseUrl, { message: "must be an https URL (http only for localhost)" });
export const ZModelName = z.string().trim().min(1).max(120);

const ADDRESS_BLOCKED_MESSAGE = "must be a public https address: localhost, private, loopback and link-local addresses are not allowed";

/**
 * The outbound policy applied to a base URL at create time (SSRF, see
 * ~/server/infra/outbound-fetch): when private addresses are not allowed, a
 * host that is "localhost" or a literal non-public IP is refused here with a
 * clear message. Names that resolve to such addresses are refused at connect time.
 */
export const ZBaseUrlPolicy = (allowPrivateAddresses: boolean) =>
  z.url().refine((v) => allowPrivateAddresses || !isNonPublicHostLiteral(new URL(v).hostname), { message: ADDRESS_BLOCKED_MESSAGE });

export const ZCreateCredentialInput = z
  .object({
    provider: ZProvider,
    label: ZCredentialLabel,
    apiKey: ZApiKey,
    baseUrl: optionalText(ZBaseUrl),
    defaultModel: optionalText(ZModelName),
  })
  .superRefine((v, c) => {
    if (v.provider === "openai-compatible" && !v.baseUrl) c.addIssue({ code: "custom", path: ["baseUrl"], message: "required for openai-compatible" });
  });
export type CreateCredentialInput = z.input<typeof ZCreateCredentialInput>;

export type MaskedCredential = {
  id: string;
  provider: Provider;
  label: string;
  baseUrl: string | null;
  defaultModel: string | null;
  last4: string;
  createdAt: Date;
  lastTestedAt: Date | null;
  lastTestOk: boolean | null;
};

/** What a failed connection test reports; the UI translates errors.<reason>. */
export const TEST_ERROR_REASONS = ["providerUnauthorized", "providerRejected", "providerTimeout", "providerUnreachable", "providerAddressBlocked", "credentialUnusable"] as const;
export type TestErrorReason = (typeof TEST_ERROR_REASONS)[number];
export type TestResult = { ok: boolean; status: number | null; models?: string[]; error?: TestErrorReason };

const MASKED_SELECT = {
  id: true,
  provider: true,
  label: true,
  baseUrl: true,
  defaultModel: true,
  last4: true,
  createdAt: true,
  lastTestedAt: true,
  lastTestOk: true,
} as const;

const toProvider = (p: string): Provider => ((PROVIDERS as readonly string[]).includes(p) ? (p as Provider) : "openai-compatible");

const fieldOf = (id: string) => `provider-credential:${id}`;
const last4Of = (key: string) => key.slice(-4);

type MaskedRow = Omit<MaskedCredential, "provider"> & { provider: string };
const toMasked = (r: MaskedRow): MaskedCredential => ({ ...r, provider: toProvider(r.provider) });

/** Who uses a credential: a member in a request, or a job acting for the tenant. */
export type CredentialUseCtx = { tenantId: string; userId?: string | null; meta?: RequestMeta };

const findMasked = async (tenantId: string, id: string) => {
  const row = await db.providerCredential.findFirst({ where: { id, tenantId }, select: MASKED_SELECT });
  if (!row) throw notFound("Provider credential");
  return toMasked(row);
};

const auditMetadata = (c: { provider: string; label: string; last4: string }) => ({ provider: c.provider, label: c.label, last4: c.last4 });

export const listCredentials = async (ctx: TenantCtx): Promise<MaskedCredential[]> => {
  const rows = await db.providerCredential.findMany({ where: { tenantId: ctx.tenantId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: MASKED_SELECT });
  return rows.map(toMasked);
};

/**
 * `opts.allowPrivateAddresses` overrides the env policy (OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS);
 * a base URL the policy refuses is BAD_REQUEST providerAddressBlocked.
 */
export const createCredential = async (ctx: TenantCtx, raw: CreateCredentialInput, opts: { allowPrivateAddresses?: boolean } = {}): Promise<MaskedCredential> => {
  const parsed = ZCreateCredentialInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", "Invalid provider credential");
  const input = parsed.data;
  if (input.baseUrl) {
    const policy = ZBaseUrlPolicy(opts.allowPrivateAddresses ?? privateProviderUrlsAllowed()).safeParse(input.baseUrl);
    if (!policy.success) throw new AppError("BAD_REQUEST", "providerAddressBlocked", `Base URL ${ADDRESS_BLOCKED_MESSAGE}`);
  }
  const id = randomUUID();
  const secretCiphertext = await tenantCrypto().encryptField({ tenantId: ctx.tenantId, field: fieldOf(id), plaintext: input.apiKey });
  const { keyVersion } = parseCiphertextHeader(secretCiphertext);
  const row = await db.providerCredential.create({
    data: {
      id,
      tenantId: ctx.tenantId,
      provider: input.provider,
      label: input.label,
      baseUrl: input.baseUrl ?? null,
      defaultModel: input.defaultModel ?? null,
      secretCiphertext,
      keyVersion,
      last4: last4Of(input.apiKey),
      createdById: ctx.userId,
    },
    select: MASKED_SELECT,
  });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "provider_credential.created",
    targetType: "provider_credential",
    targetId: row.id,
    metadata: auditMetadata(row),
    meta: ctx.meta,
  });
  return toMasked(row);
};

export const deleteCredential = async (ctx: TenantCtx, input: { id: string }): Promise<{ id: string }> => {
  const row = await findMasked(ctx.tenantId, input.id);
  const { count } = await db.providerCredential.deleteMany({ where: { id: row.id, tenantId: ctx.tenantId } });
  if (count === 0) throw notFound("Provider credential"); // deleted concurrently
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "provider_credential.deleted",
    targetType: "provider_credential",
    targetId: row.id,
    metadata: auditMetadata(row),
    meta: ctx.meta,
  });
  return { id: row.id };
};

export type DecryptedCredential = {
  id: string;
  provider: Provider;
  label: string;
  /** The provider's API root: the stored base URL or the provider's default. */
  baseUrl: string;
  defaultModel: string | null;
  apiKey: string;
};

/** What decrypting a credential needs: the columns of USABLE_CREDENTIAL_SELECT. */
export const USABLE_CREDENTIAL_SELECT = { id: true, provider: true, label: true, baseUrl: true, defaultModel: true, secretCiphertext: true, last4: true } as const;
export type UsableCredentialRow = { id: string; provider: string; label: string; baseUrl: string | null; defaultModel: string | null; secretCiphertext: string; last4: string };

/**
 * A credential row already read (with USABLE_CREDENTIAL_SELECT, of ctx's
 * tenant) with its API key decrypted — for callers that loaded the tenant's
 * credentials anyway (the persona resolver of every chat turn), so the key
 * costs no second query. A key that no longer decrypts is audited as a
 * failed use and refused with PRECONDITION_FAILED credentialUnusable.
 */
export const decryptCredentialRow = async (ctx: CredentialUseCtx, row: UsableCredentialRow): Promise<DecryptedCredential> => {
  let apiKey: string;
  try {
    apiKey = await tenantCrypto().decryptField({ tenantId: ctx.tenantId, field: fieldOf(row.id), ciphertext: row.secretCiphertext });
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    // A value this app wrote that no longer decrypts was moved or modified (ASVS 16.3.2).
    logger.error({ cryptoCode: err.code, tenantId: ctx.tenantId, credentialId: row.id }, "provider credential failed to decrypt");
    await recordFailedCredentialUse(ctx, row.id, "credentialUnusable");
    throw new AppError("PRECONDITION_FAILED", "credentialUnusable", "The provider credential cannot be decrypted", { cause: err });
  }
  markUsed(ctx.tenantId, row.id);
  const provider = toProvider(row.provider);
  return {
    id: row.id,
    provider,
    label: row.label,
    baseUrl: row.baseUrl ?? DEFAULT_BASE_URLS[provider] ?? "",
    defaultModel: row.defaultModel,
    apiKey,
  };
};

/**
 * The credential with its API key, for the LLM gateway only (server-side; never
 * return it from a procedure). Unknown id or another tenant's → NOT_FOUND;
 * then as decryptCredentialRow.
 */
export const getDecryptedCredential = async (ctx: CredentialUseCtx, id: string): Promise<DecryptedCredential> => {
  const row = await db.providerCredential.findFirst({ where: { id, tenantId: ctx.tenantId }, select: USABLE_CREDENTIAL_SELECT });
  if (!row) throw notFound("Provider credential");
  return decryptCredentialRow(ctx, row);
};

const USED_AT_RESOLUTION_MS = 5 * 60_000;

/**
 * Records that a key was used (access reviews show it), at most once per 5 minutes per key: one
 * conditional UPDATE, not awaited, so the model call never waits for it or fails because of it.
 */
const markUsed = (tenantId: string, id: string): void => {
  const cutoff = new Date(Date.now() - USED_AT_RESOLUTION_MS);
  // One plain statement: Prisma's updateMany with an OR filter opens an internal transaction,
  // which fails under a burst of concurrent uses when the pool is busy.
  void db.$executeRaw`UPDATE "ProviderCredential" SET "lastUsedAt" = now() WHERE "id" = ${id} AND "tenantId" = ${tenantId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${cutoff})`.catch(
    (err: unknown) => logger.warn({ err, tenantId, credentialId: id }, "could not record a provider key's last use"),
  );
};

/**
 * Audits a failed use of a credential (`provider_credential.use_failed`, result
 * FAILURE) with {provider, label, last4, reason}. For the gateway: call it when
 * the provider rejects the key. `reason` is a short machine key, never a
 * provider response body (which may echo the key).
 */
export const recordFailedCredentialUse = async (ctx: CredentialUseCtx, id: string, reason: string): Promise<void> => {
  const row = await db.providerCredential.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true, provider: true, label: true, last4: true } });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId ?? null,
    actorType: ctx.userId ? "USER" : "SYSTEM",
    action: "provider_credential.use_failed",
    targetType: "provider_credential",
    targetId: id,
    result: "FAILURE",
    metadata: row ? { ...auditMetadata(row), reason: reason.slice(0, 80) } : { reason: reason.slice(0, 80) },
    meta: ctx.meta,
  });
};

/** Reads at most `limit` bytes of a response body; null when it is larger. */
const readCapped = async (res: Response, limit: number): Promise<string | null> => {
  const bytes = await readStreamWithLimit(res.body, limit);
  return bytes === null ? null : Buffer.from(bytes).toString("utf8");
};

const modelIdsOf = (body: string | null): string[] | undefined => {
  if (body === null) return undefined;
  try {
    const json = JSON.parse(body) as { data?: unknown };
    if (!Array.isArray(json.data)) return undefined;
    return json.data
      .map((m: unknown) => (m && typeof m === "object" && "id" in m && typeof m.id === "string" ? m.id.slice(0, 200) : null))
      .filter((m): m is string => m !== null)
      .slice(0, MAX_MODELS);
  } catch {
    return undefined;
  }
};

const requestFor = (c: DecryptedCredential): { url: string; headers: Record<string, string> } => {
  const url = `${c.baseUrl.replace(/\/+$/, "")}/models`;
  if (c.provider === "anthropic") return { url, headers: { "x-api-key": c.apiKey, "anthropic-version": "2023-06-01", accept: "application/json" } };
  return { url, headers: { authorization: `Bearer ${c.apiKey}`, accept: "application/json" } };
};

const classify = (err: unknown): TestErrorReason => {
  if (isOutboundBlocked(err)) return "providerAddressBlocked";
  const name = err && typeof err === "object" && "name" in err ? String(err.name) : "";
  return name === "TimeoutError" || name === "AbortError" ? "providerTimeout" : "providerUnreachable";
};

/**
 * Tries the credential: GET <baseUrl>/models with the key (10 s timeout, no
 * redirects followed), records lastTestedAt/lastTestOk, and audits the test
 * (`provider_credential.tested`, or `.test_failed` with the reason). Never throws for a provider failure:
 * the result says what happened. The request goes through the SSRF guard
 * (`opts.fetch` defaults to guardedFetch under the env policy); a refused
 * destination is providerAddressBlocked.
 */
export const testCredential = async (ctx: TenantCtx, input: { id: string }, opts: { timeoutMs?: number; fetch?: FetchLike } = {}): Promise<TestResult> => {
  const credential = await getDecryptedCredential(ctx, input.id).catch((err: unknown) => {
    if (err instanceof AppError && err.reason === "credentialUnusable") return null;
    throw err;
  });
  let result: TestResult;
  if (!credential) {
    result = { ok: false, status: null, error: "credentialUnusable" };
  } else {
    const { url, headers } = requestFor(credential);
    try {
      const res = await (opts.fetch ?? guardedFetch)(url, { method: "GET", headers, redirect: "manual", signal: AbortSignal.timeout(opts.timeoutMs ?? TEST_TIMEOUT_MS) });
      if (res.status >= 200 && res.status < 300) {
        result = { ok: true, status: res.status, models: modelIdsOf(await readCapped(res, MAX_TEST_RESPONSE_BYTES)) ?? [] };
      } else {
        await res.body?.cancel();
        result = { ok: false, status: res.status, error: res.status === 401 || res.status === 403 ? "providerUnauthorized" : "providerRejected" };
      }
    } catch (err) {
      result = { ok: false, status: null, error: classify(err) };
    }
  }

  const now = new Date();
  await db.providerCredential.updateMany({ where: { id: input.id, tenantId: ctx.tenantId }, data: { lastTestedAt: now, lastTestOk: result.ok } });
  // A test decrypts the key and sends it out: a key action, audited whatever the outcome
  // (`provider_credential.tested` or `.test_failed`), with the masked fields only.
  const row = await findMasked(ctx.tenantId, input.id).catch(() => null);
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: result.ok ? "provider_credential.tested" : "provider_credential.test_failed",
    targetType: "provider_credential",
    targetId: input.id,
    result: result.ok ? "SUCCESS" : "FAILURE",
    metadata: { ...(row ? auditMetadata(row) : {}), status: result.status, ...(result.ok ? {} : { reason: result.error ?? null }) },
    meta: ctx.meta,
  });
  return result;
};
