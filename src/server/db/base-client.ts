import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env";
import { PrismaClient } from "./generated/client";
import { pgConfigFromUrl } from "./pg-config";

/*
 * The one PrismaClient of the process, unextended, and the interactive transaction a caller is
 * inside. The app's `db` (client.ts) is this client with content encryption on top; the key
 * stores under keys/ query this one, so that they never depend on the client they serve (the
 * client needs the keys; a key store built on it would be a cycle).
 */

// During `next build` env validation is skipped and DATABASE_URL may be unset;
// the adapter does not connect until the first query, so a placeholder is safe.
const BUILD_PLACEHOLDER_URL = "postgres://build@127.0.0.1:5432/not-connected";

/**
 * The interactive transaction a caller is inside (set by the app client's $transaction,
 * client.ts), so that what the content encryption looks up on the way (a workspace's content key,
 * its data key, the words of a blind index) runs on the transaction's own connection: on the
 * embedded default's PGlite server a second connection waits for the transaction to end, and the
 * transaction would wait for it. onRollback: caches to drop if the transaction fails (a key
 * created inside it is rolled back with it).
 */
export type TxScope = { tx: PrismaClient; onRollback: (() => void)[] };

// Kept on globalThis: in development the modules are re-evaluated on every change, and the
// client (one connection pool) and its transaction scope must stay the same.
const globalForDb = globalThis as unknown as { ocsuiteBaseDb?: PrismaClient; ocsuiteTxScope?: AsyncLocalStorage<TxScope> };

export const txScope: AsyncLocalStorage<TxScope> = (globalForDb.ocsuiteTxScope ??= new AsyncLocalStorage<TxScope>());

export const baseDb: PrismaClient = (globalForDb.ocsuiteBaseDb ??= new PrismaClient({
  adapter: new PrismaPg(pgConfigFromUrl(env.DATABASE_URL ?? BUILD_PLACEHOLDER_URL, { max: 10 })),
  log: env.NODE_ENV === "development" ? ["warn", "error"] : ["error"],
}));

/** The app's interactive transaction the caller is inside, if any (see TxScope). */
export const currentTx = (): TxScope | undefined => txScope.getStore();

/** The transaction the caller is inside, else the unextended client (for tables that are never sealed). */
export const baseDbOrTx = (): PrismaClient => currentTx()?.tx ?? baseDb;
