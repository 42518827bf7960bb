/**
 * A real local HTTP server speaking the OpenAI Chat Completions protocol, for
 * integration tests of the LLM gateway through the real provider code paths.
 *
 *   POST /v1/chat/completions  stream: true → SSE chunks, optional usage chunk, [DONE]
 *                              stream: false → one JSON completion
 *   GET  /v1/models            → a model list
 *
 * Behaviour is configurable per test (reply, latency, failures) and every
 * request received is recorded (method, path, headers, parsed body).
 * Out of process (the chaos run, perf/chaos), the same switches over HTTP:
 *
 *   POST /__mock/behaviour     JSON body: a partial MockBehaviour, merged in
 *   GET  /__mock/behaviour     the current behaviour
 *
 * Requests to /__mock/* are not recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal, readBody, sleep, wordChunks } from "./mock-http";

export type MockBehaviour = {
  /** The assistant's reply; split into word chunks when streaming. */
  reply: string;
  /** Delay between streamed chunks, ms. */
  chunkDelayMs: number;
  /** Delay before the first streamed chunk (or the JSON answer), ms. */
  timeToFirstTokenMs: number;
  /** Answer every request with 500. */
  fail500: boolean;
  /** Answer every request with this status (e.g. 401 for a bad key) and an OpenAI-style error body. */
  failWithStatus: number | null;
  /** Answer the first N requests (counted from setBehaviour/start) with 429. */
  rateLimitFirst: number;
  /** Retry-After header value (seconds) sent with a 429. */
  retryAfterSeconds: number;
  /** Destroy the socket after this many content chunks have been written. */
  dropAfterChunks: number | null;
  /** Accept the request and send nothing (no status, no bytes) until the client gives up. */
  stall: boolean;
  /** Usage reported when the client asks for it. */
  usage: { prompt_tokens: number; completion_tokens: number };
};

export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
};

export type MockOpenAI = {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:43123/v1 */
  url: string;
  /** The server's origin (the control endpoint is `${origin}/__mock/behaviour`). */
  origin: string;
  requests: RecordedRequest[];
  setBehaviour: (b: Partial<MockBehaviour>) => void;
  close: () => Promise<void>;
};

const DEFAULTS: MockBehaviour = {
  reply: "Hello from the mock model.",
  chunkDelayMs: 0,
  timeToFirstTokenMs: 0,
  fail500: false,
  failWithStatus: null,
  rateLimitFirst: 0,
  retryAfterSeconds: 1,
  dropAfterChunks: null,
  stall: false,
  usage: { prompt_tokens: 11, completion_tokens: 7 },
};

export { wordChunks };

export async function startMockOpenAI(opts: Partial<MockBehaviour> = {}): Promise<MockOpenAI> {
  let behaviour: MockBehaviour = { ...DEFAULTS, ...opts };
  let rateLimitedSoFar = 0;
  const requests: RecordedRequest[] = [];

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const handleCompletions = async (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    const b = behaviour;
    if (b.stall) {
      // Hold the connection open with nothing written; the client's timeout (or close()) ends it.
      await new Promise<void>((resolve) => req.socket.once("close", () => resolve()));
      return;
    }
    if (rateLimitedSoFar < b.rateLimitFirst) {
      rateLimitedSoFar++;
      json(res, 429, { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }, {
        "retry-after": String(b.retryAfterSeconds),
      });
      return;
    }
    if (b.failWithStatus !== null) {
      json(res, b.failWithStatus, { error: { message: `mock failure ${b.failWithStatus}`, type: "invalid_request_error" } });
      return;
    }
    if (b.fail500) {
      json(res, 500, { error: { message: "The server had an error", type: "server_error" } });
      return;
    }
    const model = typeof body.model === "string" ? body.model : "mock-model";
    const id = `chatcmpl-mock-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);

    if (body.stream !== true) {
      await sleep(b.timeToFirstTokenMs);
      json(res, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: b.reply }, finish_reason: "stop" }],
        usage: { ...b.usage, total_tokens: b.usage.prompt_tokens + b.usage.completion_tokens },
      });
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });

    await sleep(b.timeToFirstTokenMs);
    send(chunk({ role: "assistant", content: "" }));
    const words = wordChunks(b.reply);
    for (let i = 0; i < words.length; i++) {
      if (res.destroyed) return;
      if (i > 0 && b.chunkDelayMs > 0) await sleep(b.chunkDelayMs);
      send(chunk({ content: words[i] }));
      if (b.dropAfterChunks !== null && i + 1 >= b.dropAfterChunks) {
        // Let the written chunks reach the client, then cut the connection.
        await sleep(20);
        req.socket.destroy();
        return;
      }
    }
    send(chunk({}, "stop"));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) {
      send({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [],
        usage: { ...b.usage, total_tokens: b.usage.prompt_tokens + b.usage.completion_tokens },
      });
    }
    res.write("data: [DONE]\n\n");
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
      if (path === "/__mock/behaviour") {
        if (req.method === "POST" && body && typeof body === "object") setBehaviour(body as Partial<MockBehaviour>);
        json(res, 200, behaviour);
        return;
      }
      requests.push({ method: req.method ?? "GET", path, headers: req.headers, body, at: Date.now() });

      if (req.method === "GET" && path === "/v1/models") {
        json(res, 200, { object: "list", data: [{ id: "mock-model", object: "model", created: 0, owned_by: "mock" }] });
        return;
      }
      if (req.method === "POST" && path === "/v1/chat/completions") {
        if (!body || typeof body !== "object") return json(res, 400, { error: { message: "invalid JSON body" } });
        await handleCompletions(req, res, body as Record<string, unknown>);
        return;
      }
      json(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    })().catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });
  const setBehaviour = (b: Partial<MockBehaviour>) => {
    behaviour = { ...behaviour, ...b };
    if (b.rateLimitFirst !== undefined) rateLimitedSoFar = 0;
  };
  const { origin, close } = await listenLocal(server);

  return { url: `${origin}/v1`, origin, requests, setBehaviour, close };
}
