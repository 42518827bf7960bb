import { env } from "~/env";

// The baseline for perf/chat-ttft.mjs: the thinnest possible route handler that
// streams a chat completion from the same upstream our chat route uses — no
// session, tenant, database, persona or gateway work — so that
// "our time to first token − this route's" is the overhead we add.
// It exists only when OCSUITE_PERF_PROXY_TARGET is set (the benchmark sets it
// for the server it starts); otherwise it is a 404, and the upstream is fixed
// by the operator, never by the request (no open proxy).

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = async (request: Request): Promise<Response> => {
  const target = env.OCSUITE_PERF_PROXY_TARGET;
  if (!target) return new Response(null, { status: 404 });
  const { content } = (await request.json()) as { content?: unknown };
  const upstream = await fetch(`${target.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer perf-baseline" },
    body: JSON.stringify({ model: "perf-model", stream: true, messages: [{ role: "user", content: String(content ?? "") }] }),
    signal: request.signal,
  });
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
};
