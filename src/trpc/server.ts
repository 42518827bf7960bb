import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

// The server-side caller for React Server Components: same procedures, same
// checks and telemetry, no HTTP hop.
const createContext = cache(async () => {
  const h = new Headers(await headers());
  h.set("x-trpc-source", "rsc");
  return createTRPCContext({ headers: h });
});

export const api = appRouter.createCaller(createContext);
