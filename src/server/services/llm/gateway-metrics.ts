import "server-only";
import { metrics } from "~/server/infra/metrics";
import { normaliseModel } from "~/server/infra/model-family";

/*
 * The GenAI client metrics of one gateway call (OTel GenAI semantic
 * conventions): operation duration, time to first chunk, token usage per
 * token type. The model is normalised to its family (model-family.ts): a
 * tenant may configure any model string, and a raw one would be an unbounded
 * label. The raw id and the tenant stay on the span and in the LlmCall row.
 */

export type GenAiCallSample = {
  /** gen_ai.provider.name: a value of genAiSystem() (bounded by the provider kinds). */
  provider: string;
  model: string;
  durationMs: number;
  timeToFirstChunkMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** The LlmError reason when the call failed or was cancelled. */
  errorType: string | null;
};

export const recordGenAiCall = (s: GenAiCallSample): void => {
  const attrs = { "gen_ai.operation.name": "chat", "gen_ai.provider.name": s.provider, "gen_ai.request.model": normaliseModel(s.model) };
  metrics.genAiOperationDuration.record(s.durationMs / 1000, { ...attrs, ...(s.errorType ? { "error.type": s.errorType } : {}) });
  if (s.timeToFirstChunkMs !== null) metrics.genAiTimeToFirstChunk.record(s.timeToFirstChunkMs / 1000, attrs);
  if (s.inputTokens !== null) metrics.genAiTokenUsage.record(s.inputTokens, { ...attrs, "gen_ai.token.type": "input" });
  if (s.outputTokens !== null) metrics.genAiTokenUsage.record(s.outputTokens, { ...attrs, "gen_ai.token.type": "output" });
};
