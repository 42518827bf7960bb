/**
 * A real local HTTP server speaking the Anthropic Messages API, for integration
 * tests of the LLM gateway and the connection test through the real provider
 * code paths (@ai-sdk/anthropic).
 *
 *   POST /v1/messages  stream: true  → SSE: message_start (usage.input_tokens),
 *                                       content_block_start, ping, content_block_delta
 *                                       (text_delta) × n, content_block_stop,
 *                                       message_delta (usage.output_tokens, stop_reason),
 *                                       message_stop
 *                      stream: false → one JSON message
 *   GET  /v1/models                  → a model list ({ data: [{ type: "model", id, … }], has_more })
 *
 * Like the real API: the key comes in `x-api-key` (a wrong one → 401
 * authentication_error), `anthropic-version` is required (missing → 400), and
 * errors are `{ type: "error", error: { type, message } }`. Failures are
 * configurable per test (429 with retry-after, 529 overloaded, 500, a dropped
 * connection or an `event: error` mid-stream), and every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal, readBody, sleep, wordChunks } from "./mock-http";

export type MockAnthropicBehaviour = {
  /** The assistant's reply; streamed as word chunks (one text_delta each). */
  reply: string;
  /** The key requests must carry in x-api-key; anything else → 401. */
  validKey: string;
  /** Delay between streamed deltas, ms. */
  chunkDelayMs: number;
  /** Answer the first N message requests (counted from setBehaviour/start) with 429 rate_limit_error. */
  rateLimitFirst: number;
  /** retry-after header value (seconds) sent with a 429. */
  retryAfterSeconds: number;
  /** Answer the first N message requests with 529 overloaded_error. */
  overloadedFirst: number;
  /** Answer every message request with 500 api_error. */
  fail500: boolean;
  /** Destroy the socket after this many text deltas have been written. */
  dropAfterDeltas: number | null;
  /** Send an SSE `event: error` (overloaded_error) after this many text deltas, then end the stream. */
  errorEventAfterDeltas: number | null;
  usage: { input_tokens: number; output_tokens: number };
  stopReason: string;
  models: string[];
};

export type AnthropicRecordedRequest = {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
};

export type MockAnthropic = {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:43123/v1 (what createAnthropic's baseURL and a credential's base URL take). */
  url: string;
  requests: AnthropicRecordedRequest[];
  setBehaviour: (b: Partial<MockAnthropicBehaviour>) => void;
  close: () => Promise<void>;
};

const DEFAULTS: MockAnthropicBehaviour = {
  reply: "Hello from the mock Claude.",
  validKey: "sk-ant-test-key",
  chunkDelayMs: 0,
  rateLimitFirst: 0,
  retryAfterSeconds: 1,
  overloadedFirst: 0,
  fail500: false,
  dropAfterDeltas: null,
  errorEventAfterDeltas: null,
  usage: { input_tokens: 23, output_tokens: 9 },
  stopReason: "end_turn",
  models: ["claude-haiku-4-5", "claude-opus-4-5"],
};

export const anthropicWordChunks = wordChunks;

export async function startMockAnthropic(opts: Partial<MockAnthropicBehaviour> = {}): Promise<MockAnthropic> {
  let behaviour: MockAnthropicBehaviour = { ...DEFAULTS, ...opts };
  let rateLimitedSoFar = 0;
  let overloadedSoFar = 0;
  let messageCount = 0;
  const requests: AnthropicRecordedRequest[] = [];

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": `req_mock_${requests.length}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const apiError = (res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) =>
    json(res, status, { type: "error", error: { type, message } }, headers);

  /** The checks the real API makes before anything else. */
  const rejectHeaders = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.headers["x-api-key"] !== behaviour.validKey) {
      apiError(res, 401, "authentication_error", "invalid x-api-key");
      return true;
    }
    if (!req.headers["anthropic-version"]) {
      apiError(res, 400, "invalid_request_error", "anthropic-version: header is required");
      return true;
    }
    return false;
  };

  const handleMessages = async (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    const b = behaviour;
    if (rejectHeaders(req, res)) return;
    if (typeof body.model !== "string" || !Array.isArray(body.messages) || typeof body.max_tokens !== "number") {
      apiError(res, 400, "invalid_request_error", "model, messages and max_tokens are required");
      return;
    }
    if (rateLimitedSoFar < b.rateLimitFirst) {
      rateLimitedSoFar++;
      apiError(res, 429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", { "retry-after": String(b.retryAfterSeconds) });
      return;
    }
    if (overloadedSoFar < b.overloadedFirst) {
      overloadedSoFar++;
      apiError(res, 529, "overloaded_error", "Overloaded");
      return;
    }
    if (b.fail500) {
      apiError(res, 500, "api_error", "Internal server error");
      return;
    }
    const id = `msg_mock_${++messageCount}`;
    const model = body.model;

    if (body.stream !== true) {
      json(res, 200, {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text: b.reply }],
        stop_reason: b.stopReason,
        stop_sequence: null,
        usage: b.usage,
      });
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "request-id": `req_mock_${requests.length}` });
    const send = (event: string, data: Record<string, unknown>) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);

    send("message_start", {
      message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: b.usage.input_tokens, output_tokens: 1 } },
    });
    send("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    send("ping", {});
    const words = anthropicWordChunks(b.reply);
    for (let i = 0; i < words.length; i++) {
      if (res.destroyed) return;
      if (i > 0 && b.chunkDelayMs > 0) await sleep(b.chunkDelayMs);
      send("content_block_delta", { index: 0, delta: { type: "text_delta", text: words[i] } });
      if (b.dropAfterDeltas !== null && i + 1 >= b.dropAfterDeltas) {
        // Let the written deltas reach the client, then cut the connection.
        await sleep(20);
        req.socket.destroy();
        return;
      }
      if (b.errorEventAfterDeltas !== null && i + 1 >= b.errorEventAfterDeltas) {
        send("error", { error: { type: "overloaded_error", message: "Overloaded" } });
        res.end();
        return;
      }
    }
    send("content_block_stop", { index: 0 });
    send("message_delta", { delta: { stop_reason: b.stopReason, stop_sequence: null }, usage: { output_tokens: b.usage.output_tokens } });
    send("message_stop", {});
    res.end();
  };

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep raw text
      }
      const path = (req.url ?? "/").split("?")[0]!;
      requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });

      if (req.method === "GET" && path === "/v1/models") {
        if (rejectHeaders(req, res)) return;
        const data = behaviour.models.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
        json(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
        return;
      }
      if (req.method === "POST" && path === "/v1/messages") {
        if (!body || typeof body !== "object") return apiError(res, 400, "invalid_request_error", "invalid JSON body");
        await handleMessages(req, res, body as Record<string, unknown>);
        return;
      }
      apiError(res, 404, "not_found_error", `no route ${req.method} ${path}`);
    })().catch((err: unknown) => {
      if (!res.headersSent) apiError(res, 500, "api_error", String(err));
      else res.destroy();
    });
  });
  const { origin, close } = await listenLocal(server);

  return {
    url: `${origin}/v1`,
    requests,
    setBehaviour: (b) => {
      behaviour = { ...behaviour, ...b };
      if (b.rateLimitFirst !== undefined) rateLimitedSoFar = 0;
      if (b.overloadedFirst !== undefined) overloadedSoFar = 0;
    },
    close,
  };
}
