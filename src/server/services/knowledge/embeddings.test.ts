import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { metricValue } from "../../../../tests/support/prometheus-text";
import { contentWords, createOpenAiCompatibleEmbedder, createTestEmbedder, embedTexts, lightStem, testEmbedding } from "./embeddings";

const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

// The model label is the normalised family: "mini-embed" is no known family, so "other".
const embeddingCount = (labels: Record<string, string>) => metricValue("ocsuite_embedding_duration_count", { gen_ai_request_model: "other", ...labels });

describe("text normalisation", () => {
  it("keeps content words, lower-cased, without stopwords or punctuation", () => {
    expect(contentWords("What is the Daily MEAL allowance, per diem?")).toEqual(["daily", "meal", "allowance", "per", "diem"]);
    expect(contentWords("Is it the one?")).toEqual(["one"]);
    expect(contentWords("¿Qué pasó con el café?")).toEqual(["que", "paso", "con", "el", "cafe"]);
    expect(contentWords("café", 10, { fold: false })).toEqual(["café"]);
  });

  it("stems plural and verb endings lightly", () => {
    expect(["policies", "expenses", "approved", "booking", "classes", "status", "bus"].map(lightStem)).toEqual(["policy", "expense", "approv", "book", "class", "status", "bus"]);
  });
});

describe("the deterministic test embedder", () => {
  it("returns the same unit vector of 256 dimensions for the same text", () => {
    const a = testEmbedding("Hotels should not exceed 180 EUR per night");
    expect(a).toHaveLength(256);
    expect(norm(a)).toBeCloseTo(1, 10);
    expect(testEmbedding("Hotels should not exceed 180 EUR per night")).toEqual(a);
    expect(testEmbedding("hotels SHOULD not exceed 180 eur per night!")).toEqual(a); // case and punctuation do not matter
  });

  it("gives a text without words a fixed unit vector (never a zero vector)", () => {
    const v = testEmbedding("?!  the of");
    expect(norm(v)).toBeCloseTo(1, 10);
    expect(v[0]).toBe(1);
  });

  it("brings spelling variants together that English stemming keeps apart", () => {
    const query = testEmbedding("organization colors standardized");
    const target = testEmbedding("Our organisation standardises its colours: teal, sand and charcoal.");
    const unrelated = testEmbedding("Economy class is the default; business class is allowed for long flights.");
    expect(dot(query, target)).toBeGreaterThan(0.15);
    expect(dot(query, target)).toBeGreaterThan(3 * Math.abs(dot(query, unrelated)));
  });

  it("is exposed as an Embedder with its dimension in the model id", async () => {
    const e = createTestEmbedder(64);
    expect(e.model).toBe("test-hash-64");
    const { embeddings } = await e.embed(["one", "two"]);
    expect(embeddings.map((v) => v.length)).toEqual([64, 64]);
  });
});

describe("embedTexts with an OpenAI-compatible endpoint (a local server speaking the protocol)", () => {
  let server: Server;
  let baseUrl = "";
  const requests: { path: string; auth: string | undefined; body: { model: string; input: string[]; dimensions?: number } }[] = [];
  let failNext = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += String(d)));
      req.on("end", () => {
        const body = JSON.parse(raw || "{}") as { model: string; input: string[]; dimensions?: number };
        requests.push({ path: req.url ?? "", auth: req.headers.authorization, body });
        if (failNext) {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "bad input", type: "invalid_request_error" } }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            object: "list",
            model: body.model,
            data: body.input.map((text, index) => ({ object: "embedding", index, embedding: [text.length, 1, 0] })),
            usage: { prompt_tokens: body.input.length * 3, total_tokens: body.input.length * 3 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    spans.reset();
    requests.length = 0;
    failNext = false;
  });

  it("sends the batch to /embeddings with the key, returns vectors in order, and is traced and measured", async () => {
    const embedder = createOpenAiCompatibleEmbedder({ baseUrl, apiKey: "sk-test-embeddings", model: "mini-embed" });
    const before = await embeddingCount({ gen_ai_provider_name: "openai-compatible", ocsuite_outcome: "ok" });
    const vectors = await embedTexts(embedder, ["a", "bbb"], { purpose: "document", tenantId: "tenant-e" });
    expect(vectors).toEqual([
      [1, 1, 0],
      [3, 1, 0],
    ]);
    expect(requests).toEqual([{ path: "/v1/embeddings", auth: "Bearer sk-test-embeddings", body: expect.objectContaining({ model: "mini-embed", input: ["a", "bbb"] }) }]);
    const span = spans.getFinishedSpans().find((s) => s.name === "embeddings mini-embed");
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "embeddings",
      "gen_ai.provider.name": "openai-compatible",
      "gen_ai.request.model": "mini-embed",
      "gen_ai.usage.input_tokens": 6,
      "ocsuite.embeddings.count": 2,
      "ocsuite.embeddings.purpose": "document",
      "ocsuite.tenant.id": "tenant-e",
    });
    expect(await embeddingCount({ gen_ai_provider_name: "openai-compatible", ocsuite_outcome: "ok" })).toBe(before + 1);
  });

  it("passes the requested dimensions and keeps them in the stored model id", async () => {
    const embedder = createOpenAiCompatibleEmbedder({ baseUrl, model: "mini-embed", dimensions: 3 });
    expect(embedder.model).toBe("mini-embed@3");
    await embedTexts(embedder, ["x"], { purpose: "query" });
    expect(requests[0]?.body.dimensions).toBe(3);
  });

  it("rejects when the provider refuses, with an error span and an error observation", async () => {
    failNext = true;
    const embedder = createOpenAiCompatibleEmbedder({ baseUrl, model: "mini-embed-err" });
    const before = await embeddingCount({ gen_ai_provider_name: "openai-compatible", ocsuite_outcome: "error" });
    await expect(embedTexts(embedder, ["x"], { purpose: "query" })).rejects.toThrow(/bad input/);
    expect(spans.getFinishedSpans().find((s) => s.name === "embeddings mini-embed-err")?.status.code).toBe(2);
    expect(await embeddingCount({ gen_ai_provider_name: "openai-compatible", ocsuite_outcome: "error" })).toBe(before + 1);
  });

  it("refuses a non-public provider address under the hosted policy (guarded fetch)", async () => {
    const { createGuardedFetch } = await import("~/server/infra/outbound-fetch");
    const embedder = createOpenAiCompatibleEmbedder({ baseUrl, model: "mini-embed", fetch: createGuardedFetch({ allowPrivateAddresses: false }) });
    await expect(embedTexts(embedder, ["x"], { purpose: "query" })).rejects.toThrow();
    expect(requests).toHaveLength(0);
  });
});
