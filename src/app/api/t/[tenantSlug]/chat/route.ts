import { CHAT_ROUTE, handleChatTurn } from "~/server/http/chat-route";
import { tenantRoute } from "~/server/http/kit/tenant-route";

// A chat turn streams for as long as the model writes: never cached, never
// prerendered, and on Node (the gateway and Prisma need it).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** One chat turn (send | regenerate | retry), answered as NDJSON. See src/server/http/chat-route.ts. */
export const POST = tenantRoute("MEMBER", handleChatTurn, { route: CHAT_ROUTE });
