/*
 * The model family a metric may carry as `gen_ai.request.model`. A tenant can
 * name any model string (a fine-tune id, a dated snapshot, a local tag), so the
 * raw string on a metric is an unbounded label; the raw id stays on spans and
 * in LlmCall rows. This maps it onto a fixed set of families, else "other".
 *
 * The order of FAMILIES matters: the first pattern that matches wins, so the
 * more specific names (gpt-4o-mini, gpt-4.1) come before the ones they contain.
 */

const FAMILIES = [
  ["offline", /(?:^|[/:-])offline(?:$|[-:])/],
  ["gpt-4o-mini", /gpt-4o-mini/],
  ["gpt-4o", /gpt-4o/],
  ["gpt-4.1", /gpt-4\.1/],
  ["gpt-4", /gpt-4(?![.o\d])/],
  ["gpt-5", /gpt-5/],
  ["gpt-3.5", /gpt-3\.5/],
  ["o1", /(?:^|[/:])o1(?:$|[-:])/],
  ["o3", /(?:^|[/:])o3(?:$|[-:])/],
  ["o4", /(?:^|[/:])o4(?:$|[-:])/],
  ["claude-opus", /claude.*opus|opus.*claude/],
  ["claude-sonnet", /claude.*sonnet|sonnet.*claude/],
  ["claude-haiku", /claude.*haiku|haiku.*claude/],
  ["claude", /claude/],
  ["llama", /llama/],
  ["mistral", /mistral|mixtral|codestral|ministral/],
  ["gemma", /gemma/],
  ["gemini", /gemini/],
  ["qwen", /qwen/],
  ["deepseek", /deepseek/],
  ["phi", /(?:^|[/:-])phi[-\d]/],
  ["text-embedding", /text-embedding/],
  ["nomic-embed", /nomic-embed/],
] as const satisfies readonly (readonly [string, RegExp])[];

export type ModelFamily = (typeof FAMILIES)[number][0] | "other";

/** Every value normaliseModel can return: the bounded set a dashboard can rely on. */
export const MODEL_FAMILIES: readonly ModelFamily[] = [...FAMILIES.map(([f]) => f), "other"];

/** The family of a model id (case and provider prefix ignored: "openai/GPT-4o-2024-08-06" → "gpt-4o"), else "other". */
export const normaliseModel = (model: string | null | undefined): ModelFamily => {
  const id = (model ?? "").trim().toLowerCase();
  if (!id) return "other";
  for (const [family, pattern] of FAMILIES) if (pattern.test(id)) return family;
  return "other";
};
