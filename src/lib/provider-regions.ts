import type { ResidencyRegion } from "./regions";

/*
 * The regional API endpoints of the providers OC Suite talks to natively, per data residency
 * region (privacy centre, issue 16). Client-safe: the providers form offers them and the privacy
 * centre lists them. Vendor facts, checked against the vendors' documentation (December 2026):
 * - OpenAI: regional domains for data-residency projects, e.g. https://eu.api.openai.com/v1 and
 *   https://us.api.openai.com/v1 (developers.openai.com/api/docs/guides/data-residency; the key
 *   must belong to a project created with that region).
 * - Anthropic: no regional endpoint; api.anthropic.com serves every region. Its residency controls
 *   are a per-request `inference_geo` ("global" or "us" only) and a Console workspace setting, so
 *   there is no EU endpoint to offer (platform.claude.com/docs/en/build-with-claude/data-residency).
 * - OpenAI-compatible: the address the admin enters decides; nothing to offer.
 */
export const REGIONAL_PROVIDERS = ["openai", "anthropic"] as const;
export type RegionalProvider = (typeof REGIONAL_PROVIDERS)[number];

const ENDPOINTS: Record<ResidencyRegion, Partial<Record<RegionalProvider, string>>> = {
  us: { openai: "https://us.api.openai.com/v1" },
  eu: { openai: "https://eu.api.openai.com/v1" },
};

/** The provider's endpoint for the region, or null when it has none (its global endpoint serves it). */
export const regionalEndpoint = (provider: RegionalProvider, region: ResidencyRegion): string | null => ENDPOINTS[region][provider] ?? null;
