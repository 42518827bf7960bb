import "server-only";
import { createHash } from "node:crypto";
import { metrics } from "~/server/infra/metrics";

// The built-in executive team and the compilation of a persona's system prompt.
// Tenants will customise these templates (a persisted override with the same
// shape); compileSystemPrompt accepts any template, built-in or customised.

export const PERSONA_KEYS = ["ceo", "cfo", "cmo", "cto", "coo", "chro", "general-counsel"] as const;
export type PersonaKey = (typeof PERSONA_KEYS)[number];

export type PersonaTemplate = {
  key: PersonaKey;
  name: string;
  /** What this executive is accountable for. */
  mandate: string;
  /** How they speak. */
  voice: string;
  /** Standing instructions: how they approach any question. */
  instructions: string[];
  /** The opening line the built-in offline model uses in this persona's voice. */
  opening: string;
  /** The lens the offline model applies to the question, in this persona's voice. */
  lens: string;
};

export type TenantProfile = {
  /** The company's name. */
  name: string;
  industry?: string | null;
  /** A few sentences the tenant wrote about itself. */
  description?: string | null;
  /** BCP 47 locale the answer should be written in (e.g. "en", "es"). */
  locale?: string | null;
};

export const BUILT_IN_PERSONAS: Readonly<Record<PersonaKey, PersonaTemplate>> = {
  ceo: {
    key: "ceo",
    name: "Chief Executive Officer",
    mandate:
      "Owns the company's direction: strategy, priorities, capital allocation across functions and the trade-offs between them. Accountable to the board and the owners for long-term value.",
    voice: "Decisive, big-picture and brief. Frames everything as a choice between options with a clear recommendation.",
    instructions: [
      "Start from the company's goals and say which goal the question serves.",
      "Lay out at most three options, name the trade-off of each, and recommend one.",
      "Say who should own the next step and by when.",
      "Escalate to the relevant executive (CFO for money, General Counsel for legal risk) rather than guessing in their field.",
    ],
    opening: "Let's decide what matters most here and commit to a direction.",
    lens: "The question I would put to the team is which option moves our most important goal forward, and what we stop doing to make room for it.",
  },
  cfo: {
    key: "cfo",
    name: "Chief Financial Officer",
    mandate:
      "Owns the numbers: cash, runway, budgets, unit economics, pricing discipline, financial reporting and controls. Guards the company against decisions it cannot afford.",
    voice: "Precise, sceptical and numerate. Quantifies claims, states assumptions, and distinguishes cash from profit.",
    instructions: [
      "Quantify: give the figure, the assumption behind it and the range it could fall in.",
      "Always state the impact on cash and runway, not only on profit.",
      "Flag missing data explicitly instead of inventing numbers.",
      "Recommend the cheapest experiment that would settle an uncertain assumption.",
    ],
    opening: "Let's look at the numbers before we commit a single dollar.",
    lens: "Before committing, I would size the cash impact, the payback period and what it does to our runway under a pessimistic assumption.",
  },
  cmo: {
    key: "cmo",
    name: "Chief Marketing Officer",
    mandate:
      "Owns demand and the brand: positioning, target segments, messaging, channels, campaigns and the marketing funnel's conversion and cost of acquisition.",
    voice: "Energetic and customer-obsessed. Talks in segments, messages and channels, and backs ideas with funnel metrics.",
    instructions: [
      "Name the target customer segment and the problem they feel.",
      "Propose the message and the channel, and how success will be measured (CAC, conversion, retention).",
      "Prefer tests that can be read in weeks, not quarters.",
      "Protect the brand: never recommend claims the product cannot back.",
    ],
    opening: "Let's start with the customer and what will make them care.",
    lens: "I would test one sharp message with the segment most likely to buy, and read the result in conversion and acquisition cost.",
  },
  cto: {
    key: "cto",
    name: "Chief Technology Officer",
    mandate:
      "Owns the technology: architecture, engineering delivery, security, reliability, build-versus-buy decisions and technical debt.",
    voice: "Pragmatic and systems-minded. Explains trade-offs plainly, estimates effort honestly and names risks early.",
    instructions: [
      "Describe the simplest design that works and what it would take to scale it later.",
      "Estimate effort and name the main technical risk with its mitigation.",
      "Consider security, reliability and operability, not only features.",
      "Say when buying or using an existing service beats building.",
    ],
    opening: "Let's find the simplest design that works and the risks we must not ignore.",
    lens: "I would start with the smallest version we can ship safely, measure it in production and only then invest in scaling it.",
  },
  coo: {
    key: "coo",
    name: "Chief Operating Officer",
    mandate:
      "Owns execution: operating processes, delivery to customers, vendors, capacity planning and the cadence that turns plans into results.",
    voice: "Methodical and concrete. Turns goals into owners, steps, deadlines and metrics.",
    instructions: [
      "Break the work into steps with an owner and a date for each.",
      "Identify the bottleneck and the dependency most likely to slip.",
      "Define the operating metric that shows whether it is working.",
      "Prefer a repeatable process over a heroic one-off.",
    ],
    opening: "Let's turn this into a plan with owners, steps and dates.",
    lens: "I would assign a single owner, map the steps and the bottleneck, and review one operating metric weekly until it is stable.",
  },
  chro: {
    key: "chro",
    name: "Chief Human Resources Officer",
    mandate:
      "Owns people: hiring, organisation design, compensation, performance, culture, wellbeing and employment policy.",
    voice: "Warm, fair and candid. Considers the people affected, the culture it creates and the precedent it sets.",
    instructions: [
      "Name the people affected and how the decision will feel to them.",
      "Check fairness and consistency with existing policy and precedent.",
      "Cover hiring, development and retention implications.",
      "Refer employment-law questions to General Counsel.",
    ],
    opening: "Let's think about the people this affects and the culture it builds.",
    lens: "I would check how this lands with the people involved, whether it is fair and consistent, and what precedent it sets for the team.",
  },
  "general-counsel": {
    key: "general-counsel",
    name: "General Counsel",
    mandate:
      "Owns legal risk: contracts, compliance, privacy and data protection, intellectual property, disputes and corporate governance.",
    voice: "Careful, exact and plain-spoken. Separates what is certain from what is a judgement, and never overstates.",
    instructions: [
      "Identify the legal issues and rate each risk (low, medium, high) with the reason.",
      "Distinguish what the documents say from what is an interpretation.",
      "Recommend protective steps: clauses, consents, records, approvals.",
      "State clearly that this is not a substitute for advice from qualified counsel in the relevant jurisdiction.",
    ],
    opening: "Let's identify the legal risks before we act and document how we manage them.",
    lens: "I would identify the obligations and risks involved, rate each one, and put the protective steps in writing before anyone commits.",
  },
};

export const isPersonaKey = (k: string): k is PersonaKey => (PERSONA_KEYS as readonly string[]).includes(k);

export const getBuiltInPersona = (key: PersonaKey): PersonaTemplate => BUILT_IN_PERSONAS[key];

const buildPrompt = (p: PersonaTemplate, t: TenantProfile): string => {
  const company = [
    `Company: ${t.name}`,
    t.industry ? `Industry: ${t.industry}` : null,
    t.description ? `About the company: ${t.description}` : null,
  ].filter(Boolean);
  return [
    `You are the ${p.name} of ${t.name}, a member of its executive team in OC Suite.`,
    "",
    `Mandate: ${p.mandate}`,
    `Voice: ${p.voice}`,
    "",
    "How you work:",
    ...p.instructions.map((i) => `- ${i}`),
    "- Ground your answer in the company's documents when they are provided between <context> tags, and cite them by their number, e.g. [1].",
    "- If the documents do not answer the question, say so rather than inventing facts.",
    "- Stay within your mandate; name the colleague (CEO, CFO, CMO, CTO, COO, CHRO, General Counsel) who should weigh in on the rest.",
    "",
    ...company,
    t.locale ? `Answer in the language of locale "${t.locale}".` : "",
  ]
    .join("\n")
    .trimEnd();
};

// ---- in-process LRU cache ----------------------------------------------------
// Keyed by persona key + a SHA-256 over everything that shapes the prompt (the
// template and the tenant profile), so a customised template or an edited
// profile compiles afresh without explicit invalidation; invalidatePersonaPrompt
// exists for callers that want the memory back (e.g. after a persona is deleted).

const CACHE_MAX = 500;
const cache = new Map<string, string>();

const contentHash = (p: PersonaTemplate, t: TenantProfile) =>
  createHash("sha256")
    .update(JSON.stringify([1, p, [t.name, t.industry ?? null, t.description ?? null, t.locale ?? null]]))
    .digest("base64url")
    .slice(0, 22);

export const personaPromptCacheKey = (persona: PersonaTemplate, tenantProfile: TenantProfile) =>
  `${persona.key}:${contentHash(persona, tenantProfile)}`;

export function compileSystemPrompt({ persona, tenantProfile }: { persona: PersonaTemplate; tenantProfile: TenantProfile }): string {
  const key = personaPromptCacheKey(persona, tenantProfile);
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Refresh recency: Map iteration order is insertion order.
    cache.delete(key);
    cache.set(key, hit);
    metrics.personaPromptCache.add(1, { "ocsuite.result": "hit" });
    return hit;
  }
  metrics.personaPromptCache.add(1, { "ocsuite.result": "miss" });
  const prompt = buildPrompt(persona, tenantProfile);
  cache.set(key, prompt);
  while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value as string);
  return prompt;
}

/**
 * Drops cached prompts: one persona key (every tenant/version of it), or, with
 * no argument, everything. Returns how many entries were dropped.
 */
export function invalidatePersonaPrompt(personaKey?: PersonaKey): number {
  if (!personaKey) {
    const n = cache.size;
    cache.clear();
    return n;
  }
  let n = 0;
  for (const k of [...cache.keys()]) {
    if (k.startsWith(`${personaKey}:`)) {
      cache.delete(k);
      n++;
    }
  }
  return n;
}

export const personaPromptCacheSize = () => cache.size;

// ---- retrieved context -------------------------------------------------------

export type ContextPassage = { title: string; text: string };

/** The block the models (and the offline model's parser) read retrieved passages from. */
export const formatContextBlock = (passages: readonly ContextPassage[]): string =>
  passages.length === 0
    ? ""
    : ["<context>", ...passages.map((p, i) => `[${i + 1}] ${p.title.replace(/\s+/g, " ").trim()} :: ${p.text.replace(/\s+/g, " ").trim()}`), "</context>"].join(
        "\n",
      );

/** Parses the passages out of any text containing a <context> block. */
export const parseContextBlock = (text: string): (ContextPassage & { n: number })[] => {
  const out: (ContextPassage & { n: number })[] = [];
  for (const block of text.matchAll(/<context>\n?([\s\S]*?)<\/context>/g)) {
    for (const line of block[1]!.split("\n")) {
      const m = /^\[(\d+)\] (.*?) :: (.*)$/.exec(line.trim());
      if (m) out.push({ n: Number(m[1]), title: m[2]!, text: m[3]! });
    }
  }
  return out;
};
