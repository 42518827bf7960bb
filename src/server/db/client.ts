import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { baseDb, txScope, type TxScope } from "./base-client";
import { contentEncryption } from "./content-encryption";
import type { Prisma, PrismaClient } from "./generated/client";
import { contentKeysFor } from "./keys/content-keys";

/** Records the interactive transaction in `scope` for its callback (TxScope), and runs onRollback when it fails. */
const withTxScope = (client: PrismaClient, scope: AsyncLocalStorage<TxScope>): PrismaClient =>
  new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop !== "$transaction") return typeof value === "function" ? value.bind(target) : value;
      return async (arg: unknown, opts?: object) => {
        if (typeof arg !== "function") return target.$transaction(arg as never, opts as never);
        const onRollback: (() => void)[] = [];
        try {
          const run = (tx: Prisma.TransactionClient) => scope.run({ tx: tx as PrismaClient, onRollback }, () => (arg as (t: Prisma.TransactionClient) => Promise<unknown>)(tx));
          return await target.$transaction(run, opts as Parameters<PrismaClient["$transaction"]>[1]);
        } catch (err) {
          for (const drop of onRollback) drop();
          throw err;
        }
      };
    },
  });

/**
 * `client` with content columns sealed and opened (content-encryption.ts): content keys kept in
 * `client`'s database, blind indexes parsed there. Typed as the plain client: a query extension
 * adds no methods or result fields, and this keeps Prisma.TransactionClient and the helpers typed
 * against PrismaClient working unchanged. (An extended client has no $on/$use; nothing uses them.)
 */
export const withContentEncryption = (client: PrismaClient, scope = new AsyncLocalStorage<TxScope>()): PrismaClient => {
  const via = () => scope.getStore()?.tx ?? client;
  const extended = client.$extends(
    contentEncryption({ keysFor: (tenantId, purpose) => contentKeysFor(tenantId, purpose, { via: via(), scope: scope.getStore() }), sql: via }),
  ) as unknown as PrismaClient;
  return withTxScope(extended, scope);
};

// The app's client: the process's one connection pool (base-client.ts) with content encryption.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const db: PrismaClient = (globalForPrisma.prisma ??= withContentEncryption(baseDb, txScope));

export type Db = typeof db;

export * from "./generated/enums";
