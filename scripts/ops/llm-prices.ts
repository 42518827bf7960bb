/*
 * The price table behind the LLM dashboard's cost estimate: USD per 1,000
 * tokens by model family (the bounded `gen_ai.request.model` values of
 * src/server/infra/model-family.ts), from the providers' public list prices
 * for the family's current general-purpose model, checked 2025. An estimate
 * for spotting a trend or a runaway tenant, never an invoice: discounts,
 * batch pricing, cached input and a tenant's own contract are not modelled,
 * and families served by self-hosted or tenant-chosen endpoints (llama,
 * gemma, qwen, phi, the offline model, "other") are priced 0 because we do
 * not pay per token for them. Typed as a Record over ModelFamily so a new
 * family cannot ship without a decision here.
 */
import type { ModelFamily } from "../../src/server/infra/model-family";

export type TPrice = { input: number; output: number };

const LLM_PRICES_PER_1K: Record<ModelFamily, TPrice> = {
  offline: { input: 0, output: 0 },
  "gpt-4o-mini": { input: 0.00015, output: 0.0006 },
  "gpt-4o": { input: 0.0025, output: 0.01 },
  "gpt-4.1": { input: 0.002, output: 0.008 },
  "gpt-4": { input: 0.03, output: 0.06 },
  "gpt-5": { input: 0.00125, output: 0.01 },
  "gpt-3.5": { input: 0.0005, output: 0.0015 },
  o1: { input: 0.015, output: 0.06 },
  o3: { input: 0.002, output: 0.008 },
  o4: { input: 0.0011, output: 0.0044 },
  "claude-opus": { input: 0.015, output: 0.075 },
  "claude-sonnet": { input: 0.003, output: 0.015 },
  "claude-haiku": { input: 0.0008, output: 0.004 },
  claude: { input: 0.003, output: 0.015 },
  llama: { input: 0, output: 0 },
  mistral: { input: 0.002, output: 0.006 },
  gemma: { input: 0, output: 0 },
  gemini: { input: 0.00125, output: 0.01 },
  qwen: { input: 0, output: 0 },
  deepseek: { input: 0.00027, output: 0.0011 },
  phi: { input: 0, output: 0 },
  "text-embedding": { input: 0.00002, output: 0 },
  "nomic-embed": { input: 0, output: 0 },
  other: { input: 0, output: 0 },
};

/**
 * Estimated USD over `range` (a PromQL range, e.g. "$__range" or "1h") by
 * model family: one branch per priced family and token type, joined with
 * `or` (each branch has its own family/type label set, so none shadows
 * another), summed by `by` (the model family unless told otherwise).
 */
export const costExpr = (range: string, by = "gen_ai_request_model"): string => {
  const branches = Object.entries(LLM_PRICES_PER_1K).flatMap(([family, price]) =>
    (["input", "output"] as const)
      .filter((type) => price[type] > 0)
      .map(
        (type) =>
          `sum by (gen_ai_provider_name, gen_ai_request_model, gen_ai_token_type) (increase(gen_ai_client_token_usage_sum{gen_ai_request_model="${family}",gen_ai_token_type="${type}"}[${range}])) * ${price[type]} / 1000`,
      ),
  );
  return `sum by (${by}) (${branches.join(" or ")})`;
};

export const priceTableMarkdown = (): string =>
  [
    "| model family | input $/1k tokens | output $/1k tokens |",
    "|---|---:|---:|",
    ...Object.entries(LLM_PRICES_PER_1K).map(([family, p]) => `| ${family} | ${p.input} | ${p.output} |`),
  ].join("\n");
