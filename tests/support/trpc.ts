/**
 * Calling the real tRPC router in-process, as a given user. Uses the same
 * procedures, middlewares and services as the HTTP handler; only the session
 * lookup (next-auth) is replaced by handing the user in directly.
 */
import { createCaller } from "~/server/api/root";
import { createInnerTRPCContext, type SessionUser } from "~/server/api/trpc";

export const callerFor = (user: { id: string; email: string; name?: string | null; isPlatformAdmin: boolean } | null) => {
  const sessionUser: SessionUser | null = user ? { id: user.id, email: user.email, name: user.name ?? null, isPlatformAdmin: user.isPlatformAdmin } : null;
  return createCaller(createInnerTRPCContext({ user: sessionUser, meta: { ip: "127.0.0.1", userAgent: "vitest" }, appUrl: "http://localhost:3000" }));
};

export type Caller = ReturnType<typeof callerFor>;
