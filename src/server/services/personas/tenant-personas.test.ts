import { beforeEach, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid, type TenantFixture } from "../../../../prisma/factories";
import { sampleValue, scrapeSamples } from "../../../../tests/support/prometheus-text";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { BUILT_IN_PERSONAS, compileSystemPrompt, getBuiltInPersona, invalidatePersonaPrompt, PERSONA_KEYS, personaPromptCacheKey } from "./templates";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";
import { createCredential, type CreateCredentialInput } from "../providers/credentials";
import { updateTenantProfile } from "../tenancy/tenants";
import { resolvePersonaForChat } from "./resolve";
import { listTenantPersonas, resetTenantPersona, updateTenantPersona } from "./tenant-personas";

const cacheCounts = async () => {
  const samples = await scrapeSamples();
  const v = (r: string) => sampleValue(samples, "ocsuite_persona_prompt_cache_total", { ocsuite_result: r });
  return { hit: v("hit"), miss: v("miss") };
};

const adminCtx = (f: TenantFixture) => tenantCtxOf(f.tenant, f.admin, "ADMIN");
const chatCtx = (f: TenantFixture) => ({ tenantId: f.tenant.id, userId: f.admin.id });

const addCredential = (f: TenantFixture, input: Partial<CreateCredentialInput> & Pick<CreateCredentialInput, "provider">) =>
  createCredential(tenantCtxOf(f.tenant, f.owner, "OWNER"), {
    label: `${input.provider} ${uid(3)}`,
    apiKey: `sk-test-${uid(12)}`,
    ...(input.provider === "openai-compatible" ? { baseUrl: "http://127.0.0.1:9/v1" } : {}),
    ...input,
  });

/** Makes sure credential creation times differ, so "oldest" is unambiguous. */
const tick = () => new Promise((r) => setTimeout(r, 5));

const auditOf = (tenantId: string, action: string) => db.auditEvent.findMany({ where: { tenantId, action }, orderBy: { seq: "asc" } });

describe("listTenantPersonas", () => {
  it("lists the seven built-in personas, in order, uncustomised and on the offline model", async () => {
    const f = await createTenantWithMembers();
    const { personas, credentials } = await listTenantPersonas(adminCtx(f));
    expect(personas.map((p) => p.key)).toEqual([...PERSONA_KEYS]);
    expect(credentials).toEqual([]);
    for (const p of personas) {
      const t = BUILT_IN_PERSONAS[p.key];
      expect(p).toMatchObject({
        builtInName: t.name,
        name: t.name,
        mandate: t.mandate,
        voice: t.voice,
        instructions: t.instructions.join("\n"),
        templateInstructions: t.instructions.join("\n"),
        enabled: true,
        customised: false,
        credentialId: null,
        model: null,
        temperature: null,
        version: 0,
        effectiveModel: { provider: "offline", model: OFFLINE_MODEL_ID, offline: true, credentialId: null, credentialLabel: null },
      });
    }
  });

  it("offers the tenant's credentials without any key material", async () => {
    const f = await createTenantWithMembers();
    const cred = await addCredential(f, { provider: "openai", defaultModel: "gpt-4.1-mini" });
    const { credentials } = await listTenantPersonas(adminCtx(f));
    expect(credentials).toEqual([{ id: cred.id, label: cred.label, provider: "openai", defaultModel: "gpt-4.1-mini" }]);
    // Through the router too: its strict output schema would reject any extra field.
    const viaApi = await callerFor(f.admin).persona.list({ tenantSlug: f.tenant.slug });
    expect(viaApi.credentials).toEqual(credentials);
    expect(JSON.stringify(viaApi)).not.toContain(cred.last4);
  });
});

describe("updateTenantPersona", () => {
  beforeEach(() => invalidatePersonaPrompt());

  it("changes the compiled prompt: the old one is invalidated, the new one misses once and then hits", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    const before = await resolvePersonaForChat(chatCtx(f), "cfo");
    const oldPrompt = compileSystemPrompt({ persona: before.template, tenantProfile: before.tenantProfile });
    expect(oldPrompt).toContain("You are the Chief Financial Officer of");

    const view = await updateTenantPersona(ctx, { key: "cfo", name: "Chief Money Officer", instructions: "Count every cent.\n\n- Report cash weekly.\n" });
    expect(view).toMatchObject({ name: "Chief Money Officer", instructions: "Count every cent.\nReport cash weekly.", customised: true, version: 1, enabled: true });

    // The old compiled prompt was dropped: compiling the old template again is a miss.
    const c0 = await cacheCounts();
    compileSystemPrompt({ persona: before.template, tenantProfile: before.tenantProfile });
    const c1 = await cacheCounts();
    expect(c1.miss - c0.miss).toBe(1);
    expect(c1.hit - c0.hit).toBe(0);

    const after = await resolvePersonaForChat(chatCtx(f), "cfo");
    expect(after.version).toBe(1);
    const p1 = compileSystemPrompt({ persona: after.template, tenantProfile: after.tenantProfile });
    const p2 = compileSystemPrompt({ persona: after.template, tenantProfile: after.tenantProfile });
    const c2 = await cacheCounts();
    expect(c2.miss - c1.miss).toBe(1);
    expect(c2.hit - c1.hit).toBe(1);
    expect(p2).toBe(p1);
    expect(p1).toContain(`You are the Chief Money Officer of ${f.tenant.name}`);
    expect(p1).toContain("- Count every cent.\n- Report cash weekly.");
    expect(p1).not.toContain(BUILT_IN_PERSONAS.cfo.instructions[0]);
    // Mandate and voice stay the template's.
    expect(p1).toContain(BUILT_IN_PERSONAS.cfo.mandate);

    // Another change invalidates this one too.
    const key = personaPromptCacheKey(after.template, after.tenantProfile);
    await updateTenantPersona(ctx, { key: "cfo", temperature: 0.3 });
    const c3 = await cacheCounts();
    compileSystemPrompt({ persona: after.template, tenantProfile: after.tenantProfile });
    expect((await cacheCounts()).miss - c3.miss).toBe(1);
    expect(key.startsWith("cfo:")).toBe(true);
    expect((await resolvePersonaForChat(chatCtx(f), "cfo")).temperature).toBe(0.3);
  });

  it("bumps the version on every change, leaves omitted fields alone and audits field names, never instruction text", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    const secret = `Our secret pricing plan ${uid()}`;
    await updateTenantPersona(ctx, { key: "cmo", instructions: secret });
    const v2 = await updateTenantPersona(ctx, { key: "cmo", temperature: 1.25, model: "   " });
    expect(v2).toMatchObject({ version: 2, temperature: 1.25, instructions: secret, model: null });
    // Nothing changed: no new version, no audit.
    const v3 = await updateTenantPersona(ctx, { key: "cmo", temperature: 1.25 });
    expect(v3.version).toBe(2);

    const row = await db.tenantPersona.findUniqueOrThrow({ where: { tenantId_key: { tenantId: f.tenant.id, key: "cmo" } } });
    expect(row).toMatchObject({ version: 2, updatedById: f.admin.id, temperature: 1.25, name: null });

    const events = await auditOf(f.tenant.id, "persona.update");
    expect(events.map((e) => e.metadata)).toEqual([
      { changed: ["instructions"], enabled: true, version: 1 },
      { changed: ["temperature"], enabled: true, version: 2 },
    ]);
    expect(events[0]).toMatchObject({ actorId: f.admin.id, actorType: "USER", targetType: "persona", targetId: "cmo", result: "SUCCESS" });
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it("saving the template's own name and instructions is not a customisation", async () => {
    const f = await createTenantWithMembers();
    const t = getBuiltInPersona("coo");
    const view = await updateTenantPersona(adminCtx(f), { key: "coo", name: t.name, instructions: t.instructions.join("\n"), model: "", credentialId: "" });
    expect(view).toMatchObject({ customised: false, version: 0, name: t.name });
    expect(await db.tenantPersona.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });

  it("rejects bad input with invalidInput and writes nothing", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    const bad: unknown[] = [
      { key: "cfo2", name: "X" },
      { key: "cfo", name: "x".repeat(81) },
      { key: "cfo", instructions: "y".repeat(4001) },
      { key: "cfo", instructions: Array.from({ length: 31 }, (_, i) => `Line ${i}`).join("\n") },
      { key: "cfo", model: "m".repeat(121) },
      { key: "cfo", temperature: 2.5 },
      { key: "cfo", temperature: -0.1 },
      { key: "cfo", temperature: Number.NaN },
      { key: "cfo", enabled: "no" },
    ];
    for (const input of bad) {
      await expect(updateTenantPersona(ctx, input as never), JSON.stringify(input)).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    }
    await expect(resetTenantPersona(ctx, { key: "cxo" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The limits themselves are allowed.
    await updateTenantPersona(ctx, { key: "chro", name: "n".repeat(80), instructions: Array.from({ length: 30 }, (_, i) => `Rule ${i}`).join("\n"), temperature: 2 });
    expect(await db.tenantPersona.count({ where: { tenantId: f.tenant.id } })).toBe(1);
    // The router rejects it before the service, with the same code.
    await expect(callerFor(f.admin).persona.update({ tenantSlug: f.tenant.slug, key: "cfo", temperature: 3 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("rejects another tenant's credential as if it did not exist", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    const foreign = await addCredential(other, { provider: "openai" });
    await expect(updateTenantPersona(adminCtx(f), { key: "cto", credentialId: foreign.id })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(updateTenantPersona(adminCtx(f), { key: "cto", credentialId: "no-such-credential" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.tenantPersona.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });
});

describe("enable / disable", () => {
  it("a disabled persona cannot be chatted with; enabling it again works", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    const view = await updateTenantPersona(ctx, { key: "cmo", enabled: false });
    expect(view).toMatchObject({ enabled: false, customised: true });
    await expect(resolvePersonaForChat(chatCtx(f), "cmo")).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "personaDisabled" });
    expect((await auditOf(f.tenant.id, "persona.update"))[0]?.metadata).toEqual({ changed: ["enabled"], enabled: false, version: 1 });
    await updateTenantPersona(ctx, { key: "cmo", enabled: true });
    await expect(resolvePersonaForChat(chatCtx(f), "cmo")).resolves.toMatchObject({ key: "cmo", version: 2 });
  });

  it("keeps at least one persona enabled", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    for (const key of PERSONA_KEYS.slice(0, 6)) await updateTenantPersona(ctx, { key, enabled: false });
    const last = PERSONA_KEYS[6];
    await expect(updateTenantPersona(ctx, { key: last, enabled: false })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "lastPersonaEnabled" });
    // Other edits to the last enabled one, and to disabled ones, still work.
    await updateTenantPersona(ctx, { key: last, name: "The Lawyer" });
    await updateTenantPersona(ctx, { key: "ceo", name: "Boss" });
    const { personas } = await listTenantPersonas(ctx);
    expect(personas.filter((p) => p.enabled).map((p) => p.key)).toEqual([last]);
  });

  it("holds under concurrency: of the last two, only one can be disabled", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    for (const key of PERSONA_KEYS.slice(0, 5)) await updateTenantPersona(ctx, { key, enabled: false });
    const results = await Promise.allSettled([updateTenantPersona(ctx, { key: "chro", enabled: false }), updateTenantPersona(ctx, { key: "general-counsel", enabled: false })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(rejected?.reason).toMatchObject({ reason: "lastPersonaEnabled" });
    expect(await db.tenantPersona.count({ where: { tenantId: f.tenant.id, enabled: true } })).toBe(0);
    expect((await listTenantPersonas(ctx)).personas.filter((p) => p.enabled)).toHaveLength(1);
  });
});

describe("resetTenantPersona", () => {
  it("deletes the override: template, enabled, workspace default model; audited once", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    await updateTenantPersona(ctx, { key: "general-counsel", name: "Legal", enabled: false, temperature: 0.1 });
    const view = await resetTenantPersona(ctx, { key: "general-counsel" });
    expect(view).toMatchObject({ name: "General Counsel", enabled: true, customised: false, version: 0, temperature: null });
    expect(await db.tenantPersona.count({ where: { tenantId: f.tenant.id } })).toBe(0);
    const resolved = await resolvePersonaForChat(chatCtx(f), "general-counsel");
    expect(resolved.template).toEqual(getBuiltInPersona("general-counsel"));
    // Resetting an uncustomised persona is harmless and not audited again.
    await resetTenantPersona(ctx, { key: "general-counsel" });
    const events = await auditOf(f.tenant.id, "persona.reset");
    expect(events.map((e) => e.metadata)).toEqual([{ changed: ["name", "temperature", "enabled"], enabled: true, version: 1 }]);
  });
});

describe("model resolution", () => {
  it("offline, then the oldest credential with the provider's default model, then the persona's own credential and model", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    expect((await resolvePersonaForChat(chatCtx(f), "ceo")).model).toEqual({ provider: "offline" });

    const openai = await addCredential(f, { provider: "openai" });
    await tick();
    const anthropic = await addCredential(f, { provider: "anthropic", defaultModel: "claude-sonnet-4-5" });

    // The oldest credential is the workspace default; no model anywhere → the provider's default.
    let list = await listTenantPersonas(ctx);
    expect(list.personas[0]!.effectiveModel).toEqual({ provider: "openai", model: "gpt-4o-mini", offline: false, credentialId: openai.id, credentialLabel: openai.label });
    const ceo = await resolvePersonaForChat(chatCtx(f), "ceo");
    expect(ceo.model).toMatchObject({ provider: "openai", model: "gpt-4o-mini", baseUrl: "https://api.openai.com/v1" });
    expect(ceo.model.provider !== "offline" && ceo.model.apiKey.startsWith("sk-test-")).toBe(true);

    // The persona's own credential, with that credential's default model.
    await updateTenantPersona(ctx, { key: "cfo", credentialId: anthropic.id });
    expect((await resolvePersonaForChat(chatCtx(f), "cfo")).model).toMatchObject({ provider: "anthropic", model: "claude-sonnet-4-5" });
    // The persona's own model beats the credential's default.
    await updateTenantPersona(ctx, { key: "cfo", model: "claude-opus-4-1" });
    expect((await resolvePersonaForChat(chatCtx(f), "cfo")).model).toMatchObject({ provider: "anthropic", model: "claude-opus-4-1" });
    list = await listTenantPersonas(ctx);
    expect(list.personas[1]).toMatchObject({ credentialId: anthropic.id, model: "claude-opus-4-1", effectiveModel: { provider: "anthropic", model: "claude-opus-4-1", credentialLabel: anthropic.label } });

    // Its credential deleted → back to the workspace default (and shown as "workspace default").
    await db.providerCredential.delete({ where: { id: anthropic.id } });
    list = await listTenantPersonas(ctx);
    expect(list.personas[1]).toMatchObject({ credentialId: null, effectiveModel: { provider: "openai", model: "claude-opus-4-1", credentialId: openai.id } });
  });

  it("an OpenAI-compatible credential without a model anywhere is a clear error", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    const compat = await addCredential(f, { provider: "openai-compatible" });
    // As the workspace default: listed with no model; chatting says which setting is missing.
    expect((await listTenantPersonas(ctx)).personas[0]!.effectiveModel).toMatchObject({ provider: "openai-compatible", model: null, offline: false });
    await expect(resolvePersonaForChat(chatCtx(f), "ceo")).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "personaModelMissing" });
    // Saving an enabled persona that would answer without a model is refused.
    await expect(updateTenantPersona(ctx, { key: "cto", credentialId: compat.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "personaModelMissing" });
    await expect(updateTenantPersona(ctx, { key: "cto", name: "Tech lead" })).rejects.toMatchObject({ reason: "personaModelMissing" });
    expect(await db.tenantPersona.count({ where: { tenantId: f.tenant.id } })).toBe(0);
    // Naming a model fixes it.
    await updateTenantPersona(ctx, { key: "cto", credentialId: compat.id, model: "llama-3.1-8b" });
    expect((await resolvePersonaForChat(chatCtx(f), "cto")).model).toMatchObject({ provider: "openai-compatible", model: "llama-3.1-8b", baseUrl: "http://127.0.0.1:9/v1" });
    // A disabled persona does not answer, so it may be saved without one.
    await expect(updateTenantPersona(ctx, { key: "coo", enabled: false })).resolves.toMatchObject({ enabled: false });
  });
});

describe("tenant profile in the prompt", () => {
  it("industry and description edited by an admin appear in every compiled system prompt; audited by field name", async () => {
    const f = await createTenantWithMembers();
    const ctx = adminCtx(f);
    const description = `We build warehouse robots ${uid()}.`;
    const updated = await updateTenantProfile(ctx, { industry: "  Robotics  ", description });
    expect(updated).toMatchObject({ industry: "Robotics", description });

    for (const key of ["ceo", "general-counsel"] as const) {
      const r = await resolvePersonaForChat(chatCtx(f), key, { locale: "es" });
      const prompt = compileSystemPrompt({ persona: r.template, tenantProfile: r.tenantProfile });
      expect(prompt).toContain("Industry: Robotics");
      expect(prompt).toContain(`About the company: ${description}`);
      expect(prompt).toContain('Answer in the language of locale "es".');
    }

    // Clearing a field removes its line; unchanged fields are left alone.
    await updateTenantProfile(ctx, { industry: "" });
    const r = await resolvePersonaForChat(chatCtx(f), "ceo");
    const prompt = compileSystemPrompt({ persona: r.template, tenantProfile: r.tenantProfile });
    expect(prompt).not.toContain("Industry:");
    expect(prompt).toContain(description);

    const events = await auditOf(f.tenant.id, "tenant.profile_update");
    expect(events.map((e) => e.metadata)).toEqual([{ changed: ["industry", "description"] }, { changed: ["industry"] }]);
    expect(JSON.stringify(events)).not.toContain(description);
  });

  it("tenant.updateProfile: admins only, limits enforced, tenant.get returns the profile", async () => {
    const f = await createTenantWithMembers();
    const api = callerFor(f.admin);
    await expect(api.tenant.updateProfile({ tenantSlug: f.tenant.slug, industry: "i".repeat(81) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.tenant.updateProfile({ tenantSlug: f.tenant.slug, description: "d".repeat(1001) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(updateTenantProfile(adminCtx(f), { industry: "i".repeat(81) })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    await expect(callerFor(f.member).tenant.updateProfile({ tenantSlug: f.tenant.slug, industry: "Nope" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await api.tenant.updateProfile({ tenantSlug: f.tenant.slug, industry: "Fintech", description: "d".repeat(1000) });
    expect(await callerFor(f.viewer).tenant.get({ tenantSlug: f.tenant.slug })).toMatchObject({ industry: "Fintech", description: "d".repeat(1000) });
  });
});
