import "server-only";
import { TRPCError } from "@trpc/server";
import { isAppError } from "~/server/errors";

/** The tRPC code of an error thrown by the server-side caller, or null for anything else. */
export const trpcCodeOf = (err: unknown): TRPCError["code"] | null => (err instanceof TRPCError ? err.code : null);

/** The stable AppError reason behind a server-side caller error (e.g. "tenantSuspended"). */
export const reasonOf = (err: unknown): string | null => {
  if (err instanceof TRPCError && isAppError(err.cause)) return err.cause.reason;
  if (isAppError(err)) return err.reason;
  return null;
};
