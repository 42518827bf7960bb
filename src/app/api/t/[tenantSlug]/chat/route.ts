import { handleChatRequest } from "~/server/http/chat-route";
import { sessionUserOf } from "~/server/http/session-user";

// A chat turn streams for as long as the model writes: never cached, never
// prerendered, and on Node (the gateway and Prisma need it).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** One chat turn (send | regenerate | retry), answered as NDJSON. See src/server/http/chat-route.ts. */
export const POST = async (req: Request, ctx: { params: Promise<{ tenantSlug: string }> }) => {
  const { tenantSlug } = await ctx.params;
  return handleChatRequest(req, tenantSlug, () => sessionUserOf(req));
};
