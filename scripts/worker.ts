/**
 * The worker fleet: a plain Node HTTP server exposing the same Inngest
 * functions as the web app's /api/inngest, so heavy functions can run on
 * separately scaled machines (Inngest Cloud / self-hosted Inngest, or the
 * local executor, syncs its URL like any other app endpoint).
 *
 *   node --conditions=react-server --import tsx scripts/worker.ts
 *
 * (`react-server` makes `import "server-only"` a no-op outside Next; `tsx`
 * runs the TypeScript.) Env: WORKER_PORT (default 3030), WORKER_HOST
 * (default 0.0.0.0), plus the app's own variables (DATABASE_URL, AUTH_SECRET,
 * INNGEST_*). Serves at /api/inngest; GET /healthz answers 200.
 */
import { createServer } from "node:http";
import { serve } from "inngest/node";
import { functions } from "../inngest/functions";
import { env } from "../src/env.js";
import { inngest } from "../src/server/events/client";

const port = env.WORKER_PORT;
const host = env.WORKER_HOST;
const handler = serve({ client: inngest, functions, servePath: "/api/inngest" });

const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, functions: functions.length }));
    return;
  }
  if (!req.url?.startsWith("/api/inngest")) {
    res.writeHead(404).end();
    return;
  }
  return handler(req, res);
});

server.listen(port, host, () => {
  process.stdout.write(`worker: ${functions.length} functions at http://${host}:${port}/api/inngest\n`);
});

const shutdown = () => server.close(() => process.exit(0));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
