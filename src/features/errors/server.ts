import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { isAppError } from "~/server/errors";

/** The tRPC code of an error thrown by the server-side caller, or null for anything else. */
export const trpcCodeOf = (err: unknown): TRPCError["code"] | null => (err instanceof TRPCError ? err.code : null);

/** The stable AppError reason behind a server-side caller error (e.g. "tenantSuspended"). */
export const reasonOf = (err: unknown): string | null => {
  if (err instanceof TRPCError && isAppError(err.cause)) return err.cause.reason;
  if (isAppError(err)) return err.reason;
  return null;
};

/**
 * The data of a platform-admin page, loaded through the server-side caller:
 * `{ allowed: false }` when the caller is not a platform admin (the page shows
 * "not allowed"), Next's notFound() for an unknown or malformed id when
 * `missing: "notFound"`, any other error rethrown.
 */
export const loadForPlatformAdmin = async <T extends object>(
  load: () => Promise<T>,
  opts: { missing?: "notFound" } = {},
): Promise<({ allowed: true } & T) | { allowed: false }> => {
  try {
    return { allowed: true, ...(await load()) };
  } catch (err) {
    const code = trpcCodeOf(err);
    if (code === "FORBIDDEN") return { allowed: false };
    if (opts.missing === "notFound" && (code === "NOT_FOUND" || code === "BAD_REQUEST")) notFound();
    throw err;
  }
};
