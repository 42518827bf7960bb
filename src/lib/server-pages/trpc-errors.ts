import "server-only";
import { TRPCError } from "@trpc/server";
import { isAppError } from "~/server/errors";

// src/lib/server-pages/: helpers for server-rendered pages (RSC) that load
// through the server-side tRPC caller. They sit in lib, not in a feature,
// because pages and several features' server.ts loaders share them and
// features never import each other; `server-only` keeps them out of any
// client bundle. They are the only lib files allowed to reach ~/server
// (eslint.config.mjs), as features/*/server.ts are.

/** The tRPC code of an error thrown by the server-side caller, or null for anything else. */
export const trpcCodeOf = (err: unknown): TRPCError["code"] | null => (err instanceof TRPCError ? err.code : null);

/** The stable AppError reason behind a server-side caller error (e.g. "tenantSuspended"). */
export const reasonOf = (err: unknown): string | null => {
  if (err instanceof TRPCError && isAppError(err.cause)) return err.cause.reason;
  if (isAppError(err)) return err.reason;
  return null;
};

/** An unknown or malformed id: the caller answered NOT_FOUND or BAD_REQUEST. */
export const isMissing = (err: unknown): boolean => {
  const code = trpcCodeOf(err);
  return code === "NOT_FOUND" || code === "BAD_REQUEST";
};
