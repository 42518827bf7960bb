/**
 * The executor's HTTP surface, shaped like an Inngest server's so the SDK can
 * point at it with INNGEST_DEV=<origin> (or INNGEST_BASE_URL):
 *   POST /e/<eventKey>   event intake, as `inngest.send` calls it → { ids, status: 200 }
 *   POST /fn/register    out-of-band sync (the SDK's answer to a PUT on its serve route)
 *   GET  /v0/runs/<id>   a run's state (for tests, scripts and debugging)
 *   GET  /health
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { LocalExecutor } from "./executor";
import type { FunctionConfig } from "./types";
import type { PrismaClient } from "~/server/db/generated/client";

const MAX_BODY = 1024 * 1024 * 4;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("payload too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

export const createExecutorServer = (executor: LocalExecutor, opts: { db: PrismaClient; eventKey?: string }): Server =>
  createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://executor.local");
      const parts = url.pathname.split("/").filter(Boolean);
      if (req.method === "POST" && parts[0] === "e") {
        if (opts.eventKey && parts[1] !== opts.eventKey) return send(401, { status: 401, error: "Event key not found" });
        let payload: unknown;
        try {
          payload = JSON.parse(await readBody(req));
        } catch (err) {
          return send(400, { status: 400, error: `Cannot process event payload: ${(err as Error).message}` });
        }
        try {
          const ids = await executor.send(payload as never);
          return send(200, { ids, status: 200 });
        } catch (err) {
          return send(400, { status: 400, error: (err as Error).message });
        }
      }
      if (req.method === "POST" && url.pathname === "/fn/register") {
        const body = JSON.parse(await readBody(req)) as { appName: string; url: string; functions: FunctionConfig[] };
        await executor.registerApp(body.appName, body.url, body.functions ?? []);
        return send(200, { ok: true, modified: true });
      }
      if (req.method === "GET" && parts[0] === "v0" && parts[1] === "runs" && parts[2]) {
        const run = await opts.db.inngestRun.findUnique({ where: { id: parts[2] } });
        return run ? send(200, run) : send(404, { error: "run not found" });
      }
      if (req.method === "GET" && url.pathname === "/health") {
        return send(200, { ok: true, functions: executor.functions().map((f) => f.id) });
      }
      send(404, { error: "not found" });
    } catch (err) {
      send(500, { status: 500, error: (err as Error).message });
    }
  });
