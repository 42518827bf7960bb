import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { embedMany } from "ai";
import { env } from "~/env";
import { metrics } from "~/server/infra/metrics";
import { normaliseModel } from "~/server/infra/model-family";
import { guardedFetch, type FetchLike } from "~/server/infra/outbound-fetch";
import { tracer } from "~/server/infra/tracing";

/*
 * Text embeddings for the vector half of hybrid retrieval. One embedder per
 * deployment, chosen by env (EMBEDDINGS_PROVIDER):
 *  - none (default): no embeddings; retrieval is full-text search only.
 *  - test: a deterministic local embedder (hashed bag of light-stemmed words,
 *    word bigrams and character trigrams, L2-normalised). No model, no network:
 *    good enough to retrieve paraphrases that share words or word parts, and
 *    what the PGlite vector tests and benchmarks use.
 *  - openai-compatible: any OpenAI-compatible /embeddings endpoint through the
 *    AI SDK (EMBEDDINGS_BASE_URL, EMBEDDINGS_API_KEY, EMBEDDINGS_MODEL), over the
 *    SSRF-guarded fetch like every other provider call.
 * Documents and queries are embedded by the same embedder; the vector table keeps
 * the model id per row so a model change never compares incompatible vectors.
 */

export type Embedder = {
  /** gen_ai.provider.name */
  provider: "test" | "openai-compatible";
  /** Stored with every vector; queries only compare vectors of the same model. */
  model: string;
  embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<{ embeddings: number[][]; inputTokens: number | null }>;
};

// --- Text normalisation shared with retrieval ---------------------------------

/** PostgreSQL's `english` text-search stopwords (snowball list), so both retrieval paths drop the same words. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself " +
    "they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having " +
    "do does did doing a an the and but if or because as until while of at by for with about against between into through during before " +
    "after above below to from up down in out on off over under again further then once here there when where why how all any both each " +
    "few more most other some such no nor not only own same so than too very s t can will just don should now"
  ).split(" "),
);

/**
 * Lower-cased words (letters/digits) without stopwords, in order. `fold` also
 * strips diacritics (the test embedder does; full-text search must not, since
 * Postgres' english configuration keeps them in the indexed lexemes).
 */
export const contentWords = (text: string, max = Number.POSITIVE_INFINITY, opts: { fold?: boolean } = {}): string[] => {
  const out: string[] = [];
  const folded = (opts.fold === false ? text.normalize("NFC") : text.normalize("NFKD").replace(/\p{M}+/gu, "")).toLowerCase();
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (w.length > 64 || STOPWORDS.has(w)) continue;
    out.push(w);
    if (out.length >= max) break;
  }
  return out;
};

/** A deliberately light stemmer (plural/verb endings only): the trigram features cover the rest. */
export const lightStem = (w: string): string => {
  if (w.length <= 3 || /^\p{N}+$/u.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (w.endsWith("ing") && w.length > 5) return w.slice(0, -3);
  if (w.endsWith("ed") && w.length > 4) return w.slice(0, -2);
  if (w.endsWith("es") && w.length > 4 && /(?:x|z|ch|sh|ss)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) return w.slice(0, -1);
  return w;
};

// --- The deterministic test embedder -------------------------------------------

/** FNV-1a, 32 bit. */
const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

export const TEST_EMBEDDING_DIMENSIONS = 256;

/**
 * Feature hashing: each feature adds ±weight to one of `dims` slots (the sign
 * from another bit of the hash, so collisions cancel out on average).
 * Words weigh 1, adjacent-word bigrams 0.5, and each word's character trigrams
 * share a weight of 1 — the trigrams are what let "colour" meet "color" or
 * "organisation" meet "organization", which English stemming keeps apart.
 */
export const testEmbedding = (text: string, dims = TEST_EMBEDDING_DIMENSIONS): number[] => {
  const v = new Float64Array(dims);
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    v[h % dims]! += h & 0x80000000 ? -weight : weight;
  };
  const stems = contentWords(text, 4000).map(lightStem);
  stems.forEach((s, i) => {
    add(`w:${s}`, 1);
    if (i > 0) add(`b:${stems[i - 1]}_${s}`, 0.5);
    const padded = `^${s}$`;
    const n = padded.length - 2;
    for (let j = 0; j < n; j++) add(`t:${padded.slice(j, j + 3)}`, 1 / Math.sqrt(n));
  });
  let norm = 0;
  for (const x of v) norm += x * x;
  // No words at all: a fixed unit vector (a zero vector has no cosine distance).
  if (norm === 0) return Array.from({ length: dims }, (_, i) => (i === 0 ? 1 : 0));
  const inv = 1 / Math.sqrt(norm);
  return Array.from(v, (x) => x * inv);
};

export const createTestEmbedder = (dims = TEST_EMBEDDING_DIMENSIONS): Embedder => ({
  provider: "test",
  model: `test-hash-${dims}`,
  embed: async (texts) => ({ embeddings: texts.map((t) => testEmbedding(t, dims)), inputTokens: null }),
});

// --- OpenAI-compatible endpoints ---------------------------------------------------

export const createOpenAiCompatibleEmbedder = (opts: { baseUrl: string; apiKey?: string; model: string; dimensions?: number; fetch?: FetchLike }): Embedder => {
  const provider = createOpenAICompatible({ name: "embeddings", baseURL: opts.baseUrl, apiKey: opts.apiKey, fetch: opts.fetch ?? guardedFetch });
  const model = provider.embeddingModel(opts.model);
  return {
    provider: "openai-compatible",
    model: opts.dimensions ? `${opts.model}@${opts.dimensions}` : opts.model,
    embed: async (texts, { signal } = {}) => {
      const res = await embedMany({ model, values: texts, maxRetries: 2, abortSignal: signal, ...(opts.dimensions ? { dimensions: opts.dimensions } : {}) });
      return { embeddings: res.embeddings.map((e) => Array.from(e)), inputTokens: res.usage?.tokens ?? null };
    },
  };
};

/** Thrown when EMBEDDINGS_PROVIDER=openai-compatible lacks a required setting. */
export class EmbeddingsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddingsConfigError";
  }
}

let fromEnv: { embedder: Embedder | null } | undefined;

/** The deployment's embedder (EMBEDDINGS_PROVIDER), or null when embeddings are off. */
export const embedderFromEnv = (): Embedder | null => {
  if (fromEnv) return fromEnv.embedder;
  let embedder: Embedder | null = null;
  switch (env.EMBEDDINGS_PROVIDER) {
    case "test":
      embedder = createTestEmbedder(env.EMBEDDINGS_DIMENSIONS ?? TEST_EMBEDDING_DIMENSIONS);
      break;
    case "openai-compatible": {
      if (!env.EMBEDDINGS_BASE_URL) throw new EmbeddingsConfigError("EMBEDDINGS_PROVIDER=openai-compatible needs EMBEDDINGS_BASE_URL");
      if (!env.EMBEDDINGS_MODEL) throw new EmbeddingsConfigError("EMBEDDINGS_PROVIDER=openai-compatible needs EMBEDDINGS_MODEL");
      embedder = createOpenAiCompatibleEmbedder({
        baseUrl: env.EMBEDDINGS_BASE_URL,
        apiKey: env.EMBEDDINGS_API_KEY,
        model: env.EMBEDDINGS_MODEL,
        dimensions: env.EMBEDDINGS_DIMENSIONS,
      });
      break;
    }
    default:
      embedder = null;
  }
  fromEnv = { embedder };
  return embedder;
};

// --- Traced and measured calls ----------------------------------------------------

/**
 * Embeds `texts` with `embedder` as one GenAI call: span `embeddings <model>`
 * (gen_ai.operation.name=embeddings) and ocsuite_embedding_duration_seconds.
 * `purpose` tells a query embedding from a document batch in the trace.
 */
export const embedTexts = async (embedder: Embedder, texts: string[], opts: { purpose: "document" | "query"; tenantId?: string; signal?: AbortSignal }): Promise<number[][]> => {
  if (texts.length === 0) return [];
  const started = performance.now();
  return tracer.startActiveSpan(
    `embeddings ${embedder.model}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "embeddings",
        "gen_ai.system": embedder.provider,
        "gen_ai.provider.name": embedder.provider,
        "gen_ai.request.model": embedder.model,
        "ocsuite.embeddings.purpose": opts.purpose,
        "ocsuite.embeddings.count": texts.length,
        ...(opts.tenantId ? { "ocsuite.tenant.id": opts.tenantId } : {}),
      },
    },
    async (span) => {
      let status = "error";
      try {
        const { embeddings, inputTokens } = await embedder.embed(texts, { signal: opts.signal });
        if (embeddings.length !== texts.length) throw new Error(`the embedder returned ${embeddings.length} vectors for ${texts.length} texts`);
        if (inputTokens !== null) span.setAttribute("gen_ai.usage.input_tokens", inputTokens);
        span.setAttribute("gen_ai.embeddings.dimension.count", embeddings[0]?.length ?? 0);
        status = "ok";
        return embeddings;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        metrics.embeddingDuration.record((performance.now() - started) / 1000, { "gen_ai.provider.name": embedder.provider, "gen_ai.request.model": normaliseModel(embedder.model), "ocsuite.outcome": status });
        span.end();
      }
    },
  );
};
