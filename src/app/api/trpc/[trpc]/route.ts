import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "~/env";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { isAppError } from "~/server/errors";
import { jsonError, readBodyWithLimit } from "~/server/infra/body-limit";

const handler = async (req: Request) => {
  let request = req;
  if (req.method === "POST") {
    // Oversized bodies get a clear 413 before tRPC parses anything.
    const body = await readBodyWithLimit(req, env.TRPC_MAX_BODY_BYTES);
    if (body === null) {
      return jsonError(413, { error: { code: "PAYLOAD_TOO_LARGE", reason: "payloadTooLarge", message: `Request body exceeds ${env.TRPC_MAX_BODY_BYTES} bytes` } });
    }
    request = new Request(req.url, { method: "POST", headers: req.headers, body: body as BodyInit });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: request.headers, req: request }),
    responseMeta: ({ errors }) => {
      // Answers are per user (a session cookie decides them): no browser or shared cache may keep one.
      const headers = new Headers({ "cache-control": "no-store" });
      // A refused-for-now call (429, 503) says when to come back, as the route handlers do.
      const retryAfter = Math.max(0, ...errors.map((e) => (isAppError(e.cause) ? (e.cause.retryAfterSeconds ?? 0) : 0)));
      if (retryAfter > 0) headers.set("retry-after", String(retryAfter));
      return { headers };
    },
  });
};

export { handler as GET, handler as POST };
