import "server-only";
import { notFound } from "next/navigation";
import { isMissing, trpcCodeOf } from "./trpc-errors";

// A server-page helper for the /admin pages (see trpc-errors.ts for why these live in lib/server-pages).

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
    if (trpcCodeOf(err) === "FORBIDDEN") return { allowed: false };
    if (opts.missing === "notFound" && isMissing(err)) notFound();
    throw err;
  }
};
