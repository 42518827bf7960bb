import "server-only";
import { db } from "~/server/db/client";
import { openTenantProfile } from "~/server/db/keys/content-keys";
import { AppError, notFound } from "~/server/errors";
import type { RequestMeta } from "../context";
import type { ModelChoice } from "../llm/gateway";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";
import { getBuiltInPersona, isPersonaKey, type PersonaKey, type PersonaTemplate, type TenantProfile } from "./templates";
import { decryptCredentialRow, USABLE_CREDENTIAL_SELECT, type Provider } from "../providers/credentials";

/*
 * What a persona is for one tenant: the built-in template with the tenant's
 * overrides (TenantPersona) applied, and the model it answers with.
 *
 * Model rule, in order:
 *  1. the persona's own credential (if it still exists) and model;
 *  2. else the tenant's default credential: the oldest one (stable as keys are
 *     added; an admin picks another per persona);
 *  3. else the built-in offline model.
 * The model name is the persona's, else the credential's default, else the
 * provider's default below; an OpenAI-compatible endpoint has no sensible
 * default, so it must name one (personaModelMissing otherwise).
 */

export const PROVIDER_DEFAULT_MODELS: Record<Provider, string | null> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  "openai-compatible": null,
};

export type PersonaOverride = {
  name: string | null;
  instructions: string | null;
  credentialId: string | null;
  model: string | null;
  temperature: number | null;
  enabled: boolean;
  version: number;
};

/** The template with the tenant's overrides applied (name, instructions). */
export const applyOverride = (key: PersonaKey, o: Pick<PersonaOverride, "name" | "instructions"> | null): PersonaTemplate => {
  const base = getBuiltInPersona(key);
  if (!o) return base;
  const instructions = o.instructions
    ?.split("\n")
    .map((l) => l.replace(/^\s*[-*]\s*/, "").trim())
    .filter(Boolean);
  return {
    ...base,
    name: o.name?.trim() || base.name,
    instructions: instructions && instructions.length > 0 ? instructions : base.instructions,
  };
};

export type ModelSummary = {
  provider: "offline" | Provider;
  model: string | null;
  offline: boolean;
  credentialId: string | null;
  credentialLabel: string | null;
};

type CredentialRow = { id: string; provider: string; label: string; defaultModel: string | null; createdAt: Date };

/** Which credential and model a persona would use, without decrypting anything. */
export const summariseModel = (override: Pick<PersonaOverride, "credentialId" | "model"> | null, credentials: readonly CredentialRow[]): ModelSummary => {
  const byAge = [...credentials].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const cred = (override?.credentialId ? byAge.find((c) => c.id === override.credentialId) : undefined) ?? byAge[0];
  if (!cred) return { provider: "offline", model: OFFLINE_MODEL_ID, offline: true, credentialId: null, credentialLabel: null };
  const provider = cred.provider as Provider;
  return {
    provider,
    model: override?.model?.trim() || cred.defaultModel || PROVIDER_DEFAULT_MODELS[provider] || null,
    offline: false,
    credentialId: cred.id,
    credentialLabel: cred.label,
  };
};

export type TenantCredentialRows = CredentialRow[];

const CREDENTIAL_ORDER = [{ createdAt: "asc" as const }, { id: "asc" as const }];

export const loadCredentialRows = (tenantId: string): Promise<CredentialRow[]> =>
  db.providerCredential.findMany({
    where: { tenantId },
    select: { id: true, provider: true, label: true, defaultModel: true, createdAt: true },
    orderBy: CREDENTIAL_ORDER,
  });

export const loadTenantProfile = async (tenantId: string, locale?: string | null): Promise<TenantProfile> => {
  const row = await db.tenant.findUnique({ where: { id: tenantId }, select: { name: true, industry: true, description: true } });
  if (!row) throw notFound("Workspace");
  const t = await openTenantProfile(tenantId, row);
  return { name: t.name, industry: t.industry, description: t.description, locale: locale ?? null };
};

export type ResolvedPersona = {
  key: PersonaKey;
  template: PersonaTemplate;
  /** Override version (0 = never customised): part of what identifies a compiled prompt. */
  version: number;
  temperature: number | undefined;
  model: ModelChoice;
  summary: ModelSummary;
  tenantProfile: TenantProfile;
};

/**
 * Everything the chat needs to call the gateway for a persona: template,
 * decrypted model choice, temperature and tenant profile. Unknown key →
 * NOT_FOUND; disabled persona → PRECONDITION_FAILED personaDisabled; an
 * OpenAI-compatible credential with no model → PRECONDITION_FAILED
 * personaModelMissing. A credential that no longer decrypts surfaces as
 * credentialUnusable (audited by decryptCredentialRow).
 */
export const resolvePersonaForChat = async (
  ctx: { tenantId: string; userId: string | null; meta?: RequestMeta },
  key: string,
  opts: { locale?: string | null } = {},
): Promise<ResolvedPersona> => {
  if (!isPersonaKey(key)) throw notFound("Persona");
  // The credentials with their ciphertext: the chosen one is decrypted from this read (one round trip less per turn).
  const [row, credentials, tenantProfile] = await Promise.all([
    db.tenantPersona.findUnique({ where: { tenantId_key: { tenantId: ctx.tenantId, key } } }),
    db.providerCredential.findMany({ where: { tenantId: ctx.tenantId }, select: { ...USABLE_CREDENTIAL_SELECT, createdAt: true }, orderBy: CREDENTIAL_ORDER }),
    loadTenantProfile(ctx.tenantId, opts.locale),
  ]);
  if (row && !row.enabled) throw new AppError("PRECONDITION_FAILED", "personaDisabled", "This persona is disabled in this workspace");
  const template = applyOverride(key, row);
  const summary = summariseModel(row, credentials);
  let model: ModelChoice = { provider: "offline" };
  if (!summary.offline && summary.credentialId) {
    if (!summary.model) throw new AppError("PRECONDITION_FAILED", "personaModelMissing", "Choose a model for this persona's provider");
    const chosen = credentials.find((c) => c.id === summary.credentialId)!;
    const cred = await decryptCredentialRow({ tenantId: ctx.tenantId, userId: ctx.userId, meta: ctx.meta }, chosen);
    model = { provider: cred.provider, apiKey: cred.apiKey, baseUrl: cred.baseUrl || undefined, model: summary.model };
  }
  return { key, template, version: row?.version ?? 0, temperature: row?.temperature ?? undefined, model, summary, tenantProfile };
};
