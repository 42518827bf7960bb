import "server-only";
import { notFound } from "next/navigation";
import { isMissing } from "./trpc-errors";

// A server-page helper (see trpc-errors.ts for why these live in lib/server-pages).

/** The record a detail page shows; unknown, malformed or another workspace's id → Next's not-found page. Other errors are rethrown. */
export const loadOrNotFound = async <T>(load: () => Promise<T>): Promise<T> => {
  try {
    return await load();
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
};
