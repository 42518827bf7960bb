import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env";
import { contentEncryption } from "./content-encryption";
import { PrismaClient } from "./generated/client";
import { pgConfigFromUrl } from "./pg-config";

// During `next build` env validation is skipped and DATABASE_URL may be unset;
// the adapter does not connect until the first query, so a placeholder is safe.
const BUILD_PLACEHOLDER_URL = "postgres://build@127.0.0.1:5432/not-connected";

// The content keys come from services/secrets, which itself queries through this client: imported
// on first use (a sealed write or read), after both modules have loaded.
const keysFor = async (tenantId: string, purpose: "seal" | "open") => (await import("~/server/services/secrets/content-keys")).contentKeysFor(tenantId, purpose);

// Typed as the plain client: a query extension adds no methods or result fields, and this keeps
// Prisma.TransactionClient and the helpers typed against PrismaClient working unchanged. (An
// extended client has no $on/$use; nothing here uses them.)
const createClient = (): PrismaClient =>
  new PrismaClient({
    adapter: new PrismaPg(pgConfigFromUrl(env.DATABASE_URL ?? BUILD_PLACEHOLDER_URL, { max: 10 })),
    log: env.NODE_ENV === "development" ? ["warn", "error"] : ["error"],
  }).$extends(contentEncryption({ keysFor })) as unknown as PrismaClient;

// One client per process; in development the module is re-evaluated on every
// change, so the instance is kept on globalThis to avoid exhausting connections.
const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof createClient> };

export const db = globalForPrisma.prisma ?? createClient();
if (env.NODE_ENV !== "production") globalForPrisma.prisma = db;

export type Db = typeof db;
export * from "./generated/enums";
