import "server-only";
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { BUILT_IN_PERSONAS, parseContextBlock, type PersonaKey, type PersonaTemplate } from "../personas/templates";

// The built-in offline model: a deterministic AI SDK language model (spec v4)
// used when a tenant has no provider configured (and by `npm start` with no
// accounts). It is not an AI: it assembles an answer from the persona's voice,
// the question and the retrieved passages in the prompt, and always says so.

export const OFFLINE_PROVIDER = "ocsuite-offline";
export const OFFLINE_MODEL_ID = "ocsuite-offline-1";

/** Stated in every answer, so the reader (and the UI's label) can never mistake it for a real model. */
export const OFFLINE_DISCLOSURE =
  "Note: this answer was written by OC Suite's built-in offline model, not by an AI provider. It only rearranges your question and your documents; connect a provider key for real analysis.";

export type OfflineModelOptions = {
  /** The persona speaking; when absent it is recognised from the system prompt ("You are the <name>"). */
  personaKey?: PersonaKey;
  /** The tenant's customised template (its name and voice win over the built-in one). */
  persona?: PersonaTemplate;
  /** Delay between streamed word chunks, ms (default 15). */
  chunkDelayMs?: number;
};

const words = (s: string) => s.split(/\s+/).filter(Boolean);
export const countTokens = (s: string) => words(s).length;

const promptText = (prompt: LanguageModelV4Prompt) =>
  prompt
    .map((m) => (typeof m.content === "string" ? m.content : m.content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join(" ")))
    .join("\n");

const lastUserText = (prompt: LanguageModelV4Prompt) => {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const m = prompt[i]!;
    if (m.role === "user") return m.content.map((p) => (p.type === "text" ? p.text : "")).join(" ").trim();
  }
  return "";
};

const personaOf = (prompt: LanguageModelV4Prompt, key?: PersonaKey | PersonaTemplate): PersonaTemplate | null => {
  if (typeof key === "object") return key;
  if (key) return BUILT_IN_PERSONAS[key];
  const system = prompt.filter((m) => m.role === "system").map((m) => m.content as string).join("\n");
  return Object.values(BUILT_IN_PERSONAS).find((p) => system.includes(`You are the ${p.name}`)) ?? null;
};

const STOP = new Set("a an and are as at be by can do does for from has have how i in is it its of on or our should that the this to was we what when which who why will with you your".split(" "));
const terms = (s: string) => new Set(words(s.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " ")).filter((w) => w.length > 2 && !STOP.has(w)));

const firstSentence = (s: string) => {
  const m = /^(.{20,}?[.!?])(\s|$)/.exec(s);
  const out = m ? m[1]! : s;
  return out.length > 220 ? `${out.slice(0, 217).trimEnd()}…` : out;
};

/** The full deterministic answer for a prompt. Exported for tests and previews. */
export function composeOfflineAnswer(prompt: LanguageModelV4Prompt, personaKey?: PersonaKey | PersonaTemplate): string {
  const persona = personaOf(prompt, personaKey);
  const question = lastUserText(prompt);
  const all = promptText(prompt);
  const passages = parseContextBlock(all);

  const parts: string[] = [];
  parts.push(persona ? `${persona.opening} (${persona.name})` : "Here is a first take on your question.");
  if (question) {
    const q = question.replace(/\s+/g, " ");
    parts.push(`You asked: "${q.length > 240 ? `${q.slice(0, 237)}…` : q}"`);
  }
  if (passages.length > 0) {
    // Rank passages by overlap with the question (stable on ties: original order).
    const qt = terms(question);
    const ranked = passages
      .map((p, i) => ({ p, i, score: [...terms(`${p.title} ${p.text}`)].filter((t) => qt.has(t)).length }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, 3);
    parts.push("What your documents say:");
    for (const { p } of ranked) parts.push(`- "${firstSentence(p.text)}" — ${p.title} [${p.n}]`);
  } else {
    parts.push("I found no documents from your knowledge base for this question, so this is general guidance only.");
  }
  if (persona) parts.push(persona.lens);
  parts.push(OFFLINE_DISCLOSURE);
  return parts.join("\n\n");
}

/** Word chunks that keep their leading whitespace, so they concatenate back to the text. */
const chunksOf = (text: string) => text.match(/\s*\S+/g) ?? [];

const usageOf = (input: number, output: number): LanguageModelV4Usage => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

const abortError = (signal: AbortSignal) => {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error("The operation was aborted.");
  e.name = "AbortError";
  return e;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export function createOfflineModel(opts: OfflineModelOptions = {}): LanguageModelV4 {
  const chunkDelayMs = opts.chunkDelayMs ?? 15;
  const answer = (options: LanguageModelV4CallOptions) => {
    const text = composeOfflineAnswer(options.prompt, opts.persona ?? opts.personaKey);
    return { text, usage: usageOf(countTokens(promptText(options.prompt)), countTokens(text)) };
  };

  return {
    specificationVersion: "v4",
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},

    async doGenerate(options): Promise<LanguageModelV4GenerateResult> {
      if (options.abortSignal?.aborted) throw abortError(options.abortSignal);
      const { text, usage } = answer(options);
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
        response: { id: `offline-${countTokens(text)}`, modelId: OFFLINE_MODEL_ID, timestamp: new Date(0) },
      };
    },

    async doStream(options): Promise<LanguageModelV4StreamResult> {
      const { text, usage } = answer(options);
      const signal = options.abortSignal;
      const chunks = chunksOf(text);
      let i = -1;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async pull(controller) {
          try {
            if (i === -1) {
              controller.enqueue({ type: "stream-start", warnings: [] });
              controller.enqueue({ type: "response-metadata", id: "offline", modelId: OFFLINE_MODEL_ID, timestamp: new Date(0) });
              controller.enqueue({ type: "text-start", id: "0" });
              i = 0;
              return;
            }
            if (i < chunks.length) {
              if (i > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs, signal);
              else if (signal?.aborted) throw abortError(signal);
              controller.enqueue({ type: "text-delta", id: "0", delta: chunks[i]! });
              i++;
              return;
            }
            controller.enqueue({ type: "text-end", id: "0" });
            controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
            controller.close();
          } catch (err) {
            controller.error(err);
          }
        },
      });
      return { stream };
    },
  };
}
