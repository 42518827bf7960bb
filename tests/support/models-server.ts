/**
 * A tiny local stand-in for a provider's `GET /models` (OpenAI and Anthropic
 * shapes are the same: { data: [{ id }] }). Answers 200 with `models` when the
 * request carries `validKey` (as `Authorization: Bearer` or `x-api-key`), else
 * 401. Records every request's path and headers for assertions.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type ModelsServer = { baseUrl: string; requests: { path: string; headers: IncomingHttpHeaders }[]; close: () => Promise<void> };

export const startModelsServer = async (opts: { validKey: string; models?: string[] }): Promise<ModelsServer> => {
  const models = opts.models ?? ["gpt-test-1", "gpt-test-2"];
  const requests: ModelsServer["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", headers: req.headers });
    const key = req.headers["x-api-key"] ?? req.headers.authorization?.replace(/^Bearer /, "");
    if (req.method !== "GET" || req.url !== "/v1/models") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
    } else if (key !== opts.validKey) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "invalid api key" } }));
    } else {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: models.map((id) => ({ id, object: "model" })) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
};
