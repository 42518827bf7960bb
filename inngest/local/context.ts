/**
 * The state every part of the executor shares, passed explicitly as one small
 * object (`ExecutorContext`) instead of living in one big closure, so each part
 * (runs, queue, ops, settle, intake, sync) can be read and called on its own.
 * Also owns the options and their defaults, and the Prisma row types.
 */
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "~/server/db/generated/client";
import type { RegisteredFunction, StoredEvent } from "./types";

export type Tx = Prisma.TransactionClient;
export type Run = Awaited<ReturnType<PrismaClient["inngestRun"]["findUniqueOrThrow"]>>;
export type Item = Awaited<ReturnType<PrismaClient["inngestQueueItem"]["findUniqueOrThrow"]>>;

export type ExecutorLogger = {
  info: (msg: string, extra?: Record<string, unknown>) => void;
  warn: (msg: string, extra?: Record<string, unknown>) => void;
  error: (msg: string, extra?: Record<string, unknown>) => void;
};

export type ExecutorOptions = {
  db: PrismaClient;
  /** Serve endpoints to sync on start (e.g. http://127.0.0.1:3000/api/inngest). */
  appUrls?: string[];
  /** When set, every call request carries X-Inngest-Signature (the app must run in cloud mode with the same key). */
  signingKey?: string;
  /** When set, the intake only accepts POST /e/<eventKey>. */
  eventKey?: string;
  pollIntervalMs?: number;
  /** How long a leased queue item stays owned without renewal (crash recovery time). */
  leaseMs?: number;
  maxInFlight?: number;
  /** Delay before retry number `attempt` (1 = first retry). Default: Inngest's table (15s, 30s, 1m, …) plus jitter. */
  backoff?: (attempt: number) => number;
  requestTimeoutMs?: number;
  /** Default retries when a function config carries none (Inngest's default: 3). */
  defaultRetries?: number;
  logger?: ExecutorLogger;
  /** The clock cron schedules are read against, in ms (default Date.now); tests move it instead of waiting for minutes. */
  now?: () => number;
  /** How often due cron ticks are looked for (default 1000 ms). Keep it well under a minute: a tick is due for one minute (cron-schedule.ts). */
  cronIntervalMs?: number;
};

export type ExecutorContext = {
  db: PrismaClient;
  log: ExecutorLogger;
  /** Written into leased queue items: a lease is only renewed or settled by its owner. */
  owner: string;
  leaseMs: number;
  backoff: (attempt: number) => number;
  requestTimeoutMs: number;
  defaultRetries: number;
  signingKey?: string;
  /** Function configs by id, from syncs (and from Postgres on start). */
  functions: Map<string, RegisteredFunction>;
  /**
   * Internal events (inngest/function.failed, .cancelled) raised inside a
   * transaction; they are ingested after it commits (see flushInternalEvents),
   * because ingesting starts transactions of its own.
   */
  pendingEvents: StoredEvent[];
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** The cron clock (ExecutorOptions.now). Sleeps, leases and throttle use the wall clock and Postgres' now(). */
  now: () => number;
};

const INNGEST_BACKOFF_MS = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1200e3, 2400e3, 3600e3, 7200e3];
export const inngestBackoff = (attempt: number) =>
  (INNGEST_BACKOFF_MS[Math.min(attempt - 1, INNGEST_BACKOFF_MS.length - 1)] ?? 15e3) + Math.floor(Math.random() * 30e3);

const silentLogger: ExecutorLogger = { info: () => {}, warn: () => {}, error: () => {} };

export const createExecutorContext = (options: ExecutorOptions): ExecutorContext => {
  const { db } = options;
  return {
    db,
    log: options.logger ?? silentLogger,
    owner: `executor-${process.pid}-${randomBytes(3).toString("hex")}`,
    leaseMs: options.leaseMs ?? 60_000,
    backoff: options.backoff ?? inngestBackoff,
    requestTimeoutMs: options.requestTimeoutMs ?? 15 * 60_000,
    defaultRetries: options.defaultRetries ?? 3,
    signingKey: options.signingKey,
    functions: new Map(),
    pendingEvents: [],
    // Longer than Prisma's defaults (2 s to start, 5 s to run): settling one response issues many statements.
    transaction: (fn) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }),
    now: options.now ?? Date.now,
  };
};
