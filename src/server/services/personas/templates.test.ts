import { beforeEach, describe, expect, it } from "vitest";
import { sampleValue, scrapeSamples } from "../../../../tests/support/prometheus-text";
import {
  BUILT_IN_PERSONAS,
  compileSystemPrompt,
  getBuiltInPersona,
  invalidatePersonaPrompt,
  PERSONA_KEYS,
  personaPromptCacheSize,
} from "./templates";

const counts = async () => {
  const samples = await scrapeSamples();
  const v = (r: string) => sampleValue(samples, "ocsuite_persona_prompt_cache_total", { ocsuite_result: r });
  return { hit: v("hit"), miss: v("miss") };
};
const acme = { name: "Acme Robotics", industry: "Manufacturing", description: "We build warehouse robots." };

describe("persona templates", () => {
  beforeEach(() => invalidatePersonaPrompt());

  it("has the seven executives, each with a distinct, substantive template", () => {
    expect(PERSONA_KEYS).toEqual(["ceo", "cfo", "cmo", "cto", "coo", "chro", "general-counsel"]);
    for (const field of ["name", "mandate", "voice", "opening", "lens"] as const) {
      expect(new Set(PERSONA_KEYS.map((k) => BUILT_IN_PERSONAS[k][field])).size).toBe(7);
    }
    for (const k of PERSONA_KEYS) {
      const p = BUILT_IN_PERSONAS[k];
      expect(p.key).toBe(k);
      expect(p.mandate.length).toBeGreaterThan(80);
      expect(p.instructions.length).toBeGreaterThanOrEqual(4);
    }
  });

  it("compiles every persona into a distinct prompt carrying its mandate, voice, instructions and the tenant profile", () => {
    const prompts = PERSONA_KEYS.map((k) => compileSystemPrompt({ persona: getBuiltInPersona(k), tenantProfile: acme }));
    expect(new Set(prompts).size).toBe(7);
    PERSONA_KEYS.forEach((k, i) => {
      const p = BUILT_IN_PERSONAS[k];
      expect(prompts[i]).toContain(`You are the ${p.name} of Acme Robotics`);
      expect(prompts[i]).toContain(p.mandate);
      expect(prompts[i]).toContain(p.voice);
      for (const ins of p.instructions) expect(prompts[i]).toContain(ins);
      expect(prompts[i]).toContain("Industry: Manufacturing");
    });
  });

  it("serves repeats from the cache and counts hits and misses", async () => {
    const before = await counts();
    const cfo = getBuiltInPersona("cfo");
    const a = compileSystemPrompt({ persona: cfo, tenantProfile: acme });
    const b = compileSystemPrompt({ persona: cfo, tenantProfile: { ...acme } });
    const c = compileSystemPrompt({ persona: cfo, tenantProfile: acme });
    expect(b).toBe(a);
    expect(c).toBe(a);
    const after = await counts();
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(2);
  });

  it("recompiles when the content changes (customised template or edited profile)", async () => {
    const before = await counts();
    const cmo = getBuiltInPersona("cmo");
    const base = compileSystemPrompt({ persona: cmo, tenantProfile: acme });
    const custom = compileSystemPrompt({ persona: { ...cmo, voice: "Dry and understated." }, tenantProfile: acme });
    const renamed = compileSystemPrompt({ persona: cmo, tenantProfile: { ...acme, name: "Acme Inc" } });
    expect(custom).not.toBe(base);
    expect(custom).toContain("Dry and understated.");
    expect(renamed).toContain("Acme Inc");
    const after = await counts();
    expect(after.miss - before.miss).toBe(3);
    expect(after.hit - before.hit).toBe(0);
  });

  it("invalidation drops one persona's entries (or all) and the next call misses", async () => {
    compileSystemPrompt({ persona: getBuiltInPersona("coo"), tenantProfile: acme });
    compileSystemPrompt({ persona: getBuiltInPersona("coo"), tenantProfile: { name: "Other" } });
    compileSystemPrompt({ persona: getBuiltInPersona("chro"), tenantProfile: acme });
    expect(personaPromptCacheSize()).toBe(3);
    expect(invalidatePersonaPrompt("coo")).toBe(2);
    expect(personaPromptCacheSize()).toBe(1);

    const before = await counts();
    compileSystemPrompt({ persona: getBuiltInPersona("coo"), tenantProfile: acme });
    compileSystemPrompt({ persona: getBuiltInPersona("chro"), tenantProfile: acme });
    const after = await counts();
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);

    expect(invalidatePersonaPrompt()).toBe(2);
    expect(personaPromptCacheSize()).toBe(0);
  });
});
