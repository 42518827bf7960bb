import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env";
import { PrismaClient } from "./generated/client";
import { pgConfigFromUrl } from "./pg-config";

// During `next build` env validation is skipped and DATABASE_URL may be unset;
// the adapter does not connect until the first query, so a placeholder is safe.
const BUILD_PLACEHOLDER_URL = "postgres://build@127.0.0.1:5432/not-connected";

const createClient = () =>
  new PrismaClient({
    adapter: new PrismaPg(pgConfigFromUrl(env.DATABASE_URL ?? BUILD_PLACEHOLDER_URL, { max: 10 })),
    log: env.NODE_ENV === "development" ? ["warn", "error"] : ["error"],
  });

// One client per process; in development the module is re-evaluated on every
// change, so the instance is kept on globalThis to avoid exhausting connections.
const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof createClient> };

export const db = globalForPrisma.prisma ?? createClient();
if (env.NODE_ENV !== "production") globalForPrisma.prisma = db;

export type Db = typeof db;
export * from "./generated/enums";
