import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { guardedFetch } from "~/server/infra/outbound-fetch";
import type { PersonaKey, PersonaTemplate } from "../personas/templates";
import { LlmError } from "./gateway-errors";
import { createOfflineModel, OFFLINE_MODEL_ID, OFFLINE_PROVIDER } from "./offline-model";

// Which AI SDK model a persona's model choice becomes (the offline model, or a
// provider behind the SSRF guard), and how the provider is named in traces.

export type LlmProvider = "offline" | "openai" | "anthropic" | "openai-compatible";

export type ModelChoice =
  | { provider: "offline" }
  | { provider: "openai" | "anthropic" | "openai-compatible"; apiKey: string; baseUrl?: string; model: string };

export type ResolvedModel = { model: LanguageModel; provider: LlmProvider; modelId: string };

export const resolveModel = (choice: ModelChoice, personaKey: PersonaKey, offlineChunkDelayMs?: number, persona?: PersonaTemplate): ResolvedModel => {
  switch (choice.provider) {
    case "offline":
      return { model: createOfflineModel({ personaKey, persona, chunkDelayMs: offlineChunkDelayMs }), provider: "offline", modelId: OFFLINE_MODEL_ID };
    // Every provider request goes through the SSRF guard: base URLs are tenant-chosen.
    case "openai":
      // Chat Completions: the protocol every OpenAI-compatible endpoint shares.
      return { model: createOpenAI({ apiKey: choice.apiKey, baseURL: choice.baseUrl, fetch: guardedFetch }).chat(choice.model), provider: "openai", modelId: choice.model };
    case "anthropic":
      return {
        model: createAnthropic({ apiKey: choice.apiKey, baseURL: choice.baseUrl, fetch: guardedFetch }).languageModel(choice.model),
        provider: "anthropic",
        modelId: choice.model,
      };
    case "openai-compatible": {
      if (!choice.baseUrl) throw new LlmError("providerRejected", "An OpenAI-compatible provider needs a base URL.");
      const p = createOpenAICompatible({ name: "openai-compatible", baseURL: choice.baseUrl, apiKey: choice.apiKey, includeUsage: true, fetch: guardedFetch });
      return { model: p.chatModel(choice.model), provider: "openai-compatible", modelId: choice.model };
    }
  }
};

/** GenAI semantic-convention system name (gen_ai.system / gen_ai.provider.name). */
export const genAiSystem = (p: LlmProvider) => (p === "offline" ? OFFLINE_PROVIDER : p === "openai-compatible" ? "openai_compatible" : p);
