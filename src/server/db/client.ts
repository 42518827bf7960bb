import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env";
import { contentEncryption } from "./content-encryption";
import { PrismaClient, type Prisma } from "./generated/client";
import { pgConfigFromUrl } from "./pg-config";

// During `next build` env validation is skipped and DATABASE_URL may be unset;
// the adapter does not connect until the first query, so a placeholder is safe.
const BUILD_PLACEHOLDER_URL = "postgres://build@127.0.0.1:5432/not-connected";

/**
 * The interactive transaction a caller is inside (set by the client's $transaction, below), so
 * that what the content encryption looks up on the way (a workspace's content key, its data
 * key, the words of a blind index) runs on the transaction's own connection: on the embedded
 * default's PGlite server a second connection waits for the transaction to end, and the
 * transaction would wait for it. onRollback: caches to drop if the transaction fails (a key
 * created inside it is rolled back with it).
 */
export type TxScope = { tx: PrismaClient; onRollback: (() => void)[] };

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

// The content keys come from services/secrets, which itself queries through this client: a cycle
// by nature (the client needs keys, the key store needs the client), broken at load time by
// importing them on first use (a sealed write or read), after both modules have loaded. A
// registration hook instead would leave any process that never imported them unable to seal.
// eslint-disable-next-line import/no-cycle -- lazy on purpose, see above (ADR 0015)
const contentKeys = () => import("~/server/services/secrets/content-keys");

/**
 * A client with content columns sealed and opened (content-encryption.ts): content keys kept in
 * `client`'s database, blind indexes parsed there. Typed as the plain client: a query extension
 * adds no methods or result fields, and this keeps Prisma.TransactionClient and the helpers typed
 * against PrismaClient working unchanged. (An extended client has no $on/$use; nothing uses them.)
 */
export const withContentEncryption = (client: PrismaClient, scope = new AsyncLocalStorage<TxScope>()): PrismaClient => {
  const via = () => scope.getStore()?.tx ?? client;
  const extended = client.$extends(
    contentEncryption({ keysFor: async (tenantId, purpose) => (await contentKeys()).contentKeysFor(tenantId, purpose, { via: via(), scope: scope.getStore() }), sql: via }),
  ) as unknown as PrismaClient;
  return withTxScope(extended, scope);
};

// Kept on globalThis with the client below (dev-mode module reloads keep the first client).
const globalForScope = globalThis as unknown as { ocsuiteTxScope?: AsyncLocalStorage<TxScope> };
const appScope = (globalForScope.ocsuiteTxScope ??= new AsyncLocalStorage<TxScope>());

/** The app's interactive transaction the caller is inside, if any (see TxScope). */
export const currentTx = (): TxScope | undefined => appScope.getStore();

const createClient = (): PrismaClient =>
  withContentEncryption(
    new PrismaClient({
      adapter: new PrismaPg(pgConfigFromUrl(env.DATABASE_URL ?? BUILD_PLACEHOLDER_URL, { max: 10 })),
      log: env.NODE_ENV === "development" ? ["warn", "error"] : ["error"],
    }),
    appScope,
  );

// One client per process; in development the module is re-evaluated on every
// change, so the instance is kept on globalThis to avoid exhausting connections.
const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof createClient> };

export const db = globalForPrisma.prisma ?? createClient();
if (env.NODE_ENV !== "production") globalForPrisma.prisma = db;

export type Db = typeof db;

/** The app's client, or the interactive transaction the caller is inside. */
export const dbOrTx = (): Db => currentTx()?.tx ?? db;
export * from "./generated/enums";
