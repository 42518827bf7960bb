import "server-only";
import { z } from "zod";
import { db, type Db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { getBuiltInPersona, invalidatePersonaPrompt, PERSONA_KEYS, type PersonaKey } from "./templates";
import { PROVIDERS, type Provider } from "../providers/credentials";
import { applyOverride, loadCredentialRows, summariseModel, type ModelSummary, type PersonaOverride, type TenantCredentialRows } from "./resolve";

/*
 * Tenant persona customisation: admins rename a built-in executive, replace its
 * standing instructions, pick the credential, model and temperature it answers
 * with, and enable or disable it. A TenantPersona row holds only the overrides
 * (null = the template's value or the workspace default); "reset" deletes it.
 *
 * Every change drops the persona's compiled prompts from the cache
 * (invalidatePersonaPrompt) and is audited with the names of the fields that
 * changed — never the instruction text, which may be confidential.
 */

export const MAX_PERSONA_NAME = 80;
export const MAX_INSTRUCTIONS_CHARS = 4000;
export const MAX_INSTRUCTION_LINES = 30;
export const MAX_MODEL_NAME = 120;

export const ZPersonaKey = z.enum(PERSONA_KEYS);

/** Forms send "" for "not set": for these fields that means "back to the template / workspace default". */
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const nullableText = <T extends z.ZodType>(schema: T) => z.preprocess(blankToNull, schema.nullable().optional());

const instructionLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * A partial update: an omitted field is left as it is; null (or "") clears the
 * override so the template's value or the workspace default applies again.
 */
export const ZUpdatePersonaInput = z.object({
  key: ZPersonaKey,
  name: nullableText(z.string().trim().min(1).max(MAX_PERSONA_NAME)),
  instructions: nullableText(
    z
      .string()
      .overwrite((t) => t.replace(/\r\n?/g, "\n"))
      .max(MAX_INSTRUCTIONS_CHARS)
      .refine((t) => instructionLines(t).length <= MAX_INSTRUCTION_LINES, { message: `at most ${MAX_INSTRUCTION_LINES} lines` }),
  ),
  credentialId: nullableText(z.string().min(1).max(64)),
  model: nullableText(z.string().trim().min(1).max(MAX_MODEL_NAME)),
  // A range, not a grid: providers accept any value in it.
  temperature: z.preprocess(blankToNull, z.number().finite().min(0).max(2).nullable().optional()),
  enabled: z.boolean().optional(),
});
export type UpdatePersonaInput = z.input<typeof ZUpdatePersonaInput>;

export const ZResetPersonaInput = z.object({ key: ZPersonaKey });

/** A credential the persona form may offer: never the key, nor even its last four characters. */
export type PersonaCredentialOption = { id: string; label: string; provider: Provider; defaultModel: string | null };

export type TenantPersonaView = {
  key: PersonaKey;
  /** The template's name, to show what a renamed persona was. */
  builtInName: string;
  /** The name it answers with (the override, else the template's). */
  name: string;
  mandate: string;
  voice: string;
  /** Effective standing instructions, one per line. */
  instructions: string;
  templateInstructions: string;
  enabled: boolean;
  /** A row with any override exists. */
  customised: boolean;
  /** The persona's own credential, null for the workspace default (also when its credential was deleted). */
  credentialId: string | null;
  model: string | null;
  temperature: number | null;
  /** 0 = never customised. */
  version: number;
  /** What it would answer with now. */
  effectiveModel: ModelSummary;
};

export type TenantPersonaList = { personas: TenantPersonaView[]; credentials: PersonaCredentialOption[] };

type Row = PersonaOverride & { key: string };

const OVERRIDE_SELECT = { key: true, name: true, instructions: true, credentialId: true, model: true, temperature: true, enabled: true, version: true } as const;

const toProvider = (p: string): Provider => ((PROVIDERS as readonly string[]).includes(p) ? (p as Provider) : "openai-compatible");

const isCustomised = (r: Row | null | undefined): boolean =>
  !!r && (r.name !== null || r.instructions !== null || r.credentialId !== null || r.model !== null || r.temperature !== null || !r.enabled);

const toView = (key: PersonaKey, row: Row | null, credentials: TenantCredentialRows): TenantPersonaView => {
  const base = getBuiltInPersona(key);
  const template = applyOverride(key, row);
  const credentialExists = !!row?.credentialId && credentials.some((c) => c.id === row.credentialId);
  return {
    key,
    builtInName: base.name,
    name: template.name,
    mandate: template.mandate,
    voice: template.voice,
    instructions: template.instructions.join("\n"),
    templateInstructions: base.instructions.join("\n"),
    enabled: row?.enabled ?? true,
    customised: isCustomised(row),
    credentialId: credentialExists ? row!.credentialId : null,
    model: row?.model ?? null,
    temperature: row?.temperature ?? null,
    version: row?.version ?? 0,
    effectiveModel: summariseModel(row, credentials),
  };
};

const credentialOptions = (rows: TenantCredentialRows): PersonaCredentialOption[] =>
  rows.map((c) => ({ id: c.id, label: c.label, provider: toProvider(c.provider), defaultModel: c.defaultModel }));

export const listTenantPersonas = async (ctx: TenantCtx): Promise<TenantPersonaList> => {
  const [rows, credentials] = await Promise.all([
    db.tenantPersona.findMany({ where: { tenantId: ctx.tenantId }, select: OVERRIDE_SELECT }),
    loadCredentialRows(ctx.tenantId),
  ]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return { personas: PERSONA_KEYS.map((k) => toView(k, byKey.get(k) ?? null, credentials)), credentials: credentialOptions(credentials) };
};

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Serialises persona changes per tenant, so "at least one persona stays
 * enabled" holds when two admins disable the last two at the same moment.
 */
const withPersonaLock = <T>(tenantId: string, fn: (tx: Tx) => Promise<T>) =>
  db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`personas:${tenantId}`}))`;
    return fn(tx);
  });

type Overrides = Pick<PersonaOverride, "name" | "instructions" | "credentialId" | "model" | "temperature" | "enabled">;
const FIELDS = ["name", "instructions", "credentialId", "model", "temperature", "enabled"] as const;

/**
 * Stores an override only where it differs from the template: saving the form
 * with the template's name or instructions unchanged keeps the persona
 * "not customised" and lets later template improvements reach it.
 */
const normalise = (key: PersonaKey, o: Overrides): Overrides => {
  const base = getBuiltInPersona(key);
  const name = o.name?.trim() || null;
  const instructions = o.instructions === null ? null : instructionLines(o.instructions).join("\n") || null;
  return {
    ...o,
    name: name === base.name ? null : name,
    instructions: instructions === base.instructions.join("\n") ? null : instructions,
    model: o.model?.trim() || null,
  };
};

const auditChange = (ctx: TenantCtx, action: "persona.update" | "persona.reset", key: PersonaKey, metadata: Record<string, string | number | boolean | string[] | null>) =>
  recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action,
    targetType: "persona",
    targetId: key,
    metadata,
    meta: ctx.meta,
  });

export const updateTenantPersona = async (ctx: TenantCtx, raw: UpdatePersonaInput): Promise<TenantPersonaView> => {
  const parsed = ZUpdatePersonaInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", "Invalid persona settings");
  const input = parsed.data;
  const key = input.key;

  const { changed, row, credentials } = await withPersonaLock(ctx.tenantId, async (tx) => {
    const [current, credentials] = await Promise.all([
      tx.tenantPersona.findUnique({ where: { tenantId_key: { tenantId: ctx.tenantId, key } }, select: OVERRIDE_SELECT }),
      tx.providerCredential.findMany({
        where: { tenantId: ctx.tenantId },
        select: { id: true, provider: true, label: true, defaultModel: true, createdAt: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      }),
    ]);
    const before: Overrides = current ?? { name: null, instructions: null, credentialId: null, model: null, temperature: null, enabled: true };
    const next = normalise(key, {
      name: input.name !== undefined ? input.name : before.name,
      instructions: input.instructions !== undefined ? input.instructions : before.instructions,
      credentialId: input.credentialId !== undefined ? input.credentialId : before.credentialId,
      model: input.model !== undefined ? input.model : before.model,
      temperature: input.temperature !== undefined ? input.temperature : before.temperature,
      enabled: input.enabled ?? before.enabled,
    });

    // Another tenant's id and an unknown id look the same: existence is not revealed.
    if (input.credentialId && !credentials.some((c) => c.id === input.credentialId)) {
      throw new AppError("BAD_REQUEST", "invalidInput", "Unknown provider credential");
    }
    // A persona that can answer must have a model: an OpenAI-compatible endpoint has no default to fall back on.
    const summary = summariseModel(next, credentials);
    if (next.enabled && !summary.offline && !summary.model) {
      throw new AppError("PRECONDITION_FAILED", "personaModelMissing", "Choose a model for this persona's provider");
    }
    if (!next.enabled && before.enabled) {
      const othersDisabled = await tx.tenantPersona.count({ where: { tenantId: ctx.tenantId, enabled: false, key: { not: key } } });
      if (othersDisabled >= PERSONA_KEYS.length - 1) {
        throw new AppError("PRECONDITION_FAILED", "lastPersonaEnabled", "At least one persona must stay enabled");
      }
    }

    const changed = FIELDS.filter((f) => next[f] !== before[f]);
    if (changed.length === 0) return { changed, row: current, credentials };
    const row = await tx.tenantPersona.upsert({
      where: { tenantId_key: { tenantId: ctx.tenantId, key } },
      create: { tenantId: ctx.tenantId, key, ...next, version: 1, updatedById: ctx.userId },
      update: { ...next, version: { increment: 1 }, updatedById: ctx.userId },
      select: OVERRIDE_SELECT,
    });
    return { changed, row, credentials };
  });

  if (changed.length > 0) {
    invalidatePersonaPrompt(key);
    await auditChange(ctx, "persona.update", key, { changed: [...changed], enabled: row?.enabled ?? true, version: row?.version ?? 0 });
  }
  return toView(key, row, credentials);
};

/** Deletes the tenant's override: the persona is the built-in template again, enabled, on the workspace default model. */
export const resetTenantPersona = async (ctx: TenantCtx, raw: { key: string }): Promise<TenantPersonaView> => {
  const parsed = ZResetPersonaInput.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "invalidInput", "Unknown persona");
  const { key } = parsed.data;
  const removed = await withPersonaLock(ctx.tenantId, async (tx) => {
    const current = await tx.tenantPersona.findUnique({ where: { tenantId_key: { tenantId: ctx.tenantId, key } }, select: OVERRIDE_SELECT });
    if (current) await tx.tenantPersona.delete({ where: { tenantId_key: { tenantId: ctx.tenantId, key } } });
    return current;
  });
  // Invalidate even when nothing was stored: a reset must never leave a stale prompt behind.
  invalidatePersonaPrompt(key);
  if (removed) {
    const changed = FIELDS.filter((f) => (f === "enabled" ? !removed.enabled : removed[f] !== null));
    await auditChange(ctx, "persona.reset", key, { changed, enabled: true, version: removed.version });
  }
  return toView(key, null, await loadCredentialRows(ctx.tenantId));
};
