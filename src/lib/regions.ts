/**
 * Data residency regions a workspace may prefer (privacy centre, issue 16). The list is the
 * product's; which storage and provider endpoints serve each region is the operator's
 * configuration (env STORAGE_REGIONS / docs/policies/data-residency.md). Safe for the client.
 */
export const RESIDENCY_REGIONS = ["us", "eu"] as const;
export type ResidencyRegion = (typeof RESIDENCY_REGIONS)[number];
export const DEFAULT_RESIDENCY_REGION: ResidencyRegion = "us";

export const isResidencyRegion = (value: unknown): value is ResidencyRegion =>
  typeof value === "string" && (RESIDENCY_REGIONS as readonly string[]).includes(value);
