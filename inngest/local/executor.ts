/**
 * The local Inngest executor: a small durable engine that drives Inngest
 * functions through the SDK's public HTTP contract (inngest/inngest
 * docs/SDK_SPEC.md) against an app's serve endpoint, with all state in
 * Postgres (the Inngest* models in prisma/schema.prisma). See README.md here
 * and docs/adr/0007-local-inngest-executor.md for what it implements.
 *
 * Plain Node: no Next imports, no server-only; it takes a Prisma client.
 */
import { randomBytes } from "node:crypto";
import { Prisma, type PrismaClient } from "~/server/db/generated/client";
import { resolveUntil, parseTimeString } from "./duration";
import { evaluateKey, matches } from "./expression";
import { canonicalJson, signBody } from "./signature";
import type {
  ConcurrencyConfig,
  EventPayload,
  FunctionConfig,
  JsonError,
  OutgoingOp,
  RegisteredFunction,
  StepState,
  StoredEvent,
} from "./types";

type Tx = Prisma.TransactionClient;
type Run = Awaited<ReturnType<PrismaClient["inngestRun"]["findUniqueOrThrow"]>>;
type Item = Awaited<ReturnType<PrismaClient["inngestQueueItem"]["findUniqueOrThrow"]>>;
type ConcurrencyKey = { key: string; limit: number };

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
};

const INNGEST_BACKOFF_MS = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1200e3, 2400e3, 3600e3, 7200e3];
export const inngestBackoff = (attempt: number) =>
  (INNGEST_BACKOFF_MS[Math.min(attempt - 1, INNGEST_BACKOFF_MS.length - 1)] ?? 15e3) + Math.floor(Math.random() * 30e3);

const DAY_MS = 86_400_000;
const LEASE_LOCK_ID = 727_001;
const ACTIVE = ["QUEUED", "RUNNING"];

export const newId = () => `${Date.now().toString(36).padStart(9, "0")}${randomBytes(8).toString("hex")}`;

/** A value for a Json column; null/undefined become JSON null (Prisma refuses a bare null). */
const json = (v: unknown) => (v === undefined || v === null ? Prisma.JsonNull : v) as unknown as Prisma.InputJsonValue;

const toJsonError = (e: unknown, fallback = "Error"): JsonError => {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const message = typeof o.message === "string" ? o.message : typeof o.error === "string" ? o.error : JSON.stringify(o);
    return { ...o, name: typeof o.name === "string" ? o.name : fallback, message };
  }
  return { name: fallback, message: String(e) };
};

const silentLogger: ExecutorLogger = { info: () => {}, warn: () => {}, error: () => {} };

export type LocalExecutor = ReturnType<typeof createLocalExecutor>;

export const createLocalExecutor = (options: ExecutorOptions) => {
  const { db } = options;
  const log = options.logger ?? silentLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxInFlight = options.maxInFlight ?? 16;
  const backoff = options.backoff ?? inngestBackoff;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15 * 60_000;
  const defaultRetries = options.defaultRetries ?? 3;
  const owner = `executor-${process.pid}-${randomBytes(3).toString("hex")}`;

  const functions = new Map<string, RegisteredFunction>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let again = false;
  let inFlight = 0;
  const inFlightDone = new Set<Promise<void>>();

  // ── sync ────────────────────────────────────────────────────────────────
  const registerApp = async (appId: string, url: string, fns: FunctionConfig[]) => {
    await db.inngestApp.upsert({
      where: { id: appId },
      create: { id: appId, url, functions: json(fns) },
      update: { url, functions: json(fns) },
    });
    for (const [id, f] of functions) if (f.appId === appId) functions.delete(id);
    for (const config of fns) {
      const stepUrl = config.steps?.step?.runtime?.url ?? url;
      functions.set(config.id, { appId, url: stepUrl, config });
    }
    log.info("synced app", { appId, functions: fns.length });
  };

  /** Loads the function configs persisted by earlier syncs (a restarted executor resumes without the app). */
  const loadApps = async () => {
    for (const app of await db.inngestApp.findMany()) {
      for (const config of app.functions as unknown as FunctionConfig[]) {
        functions.set(config.id, { appId: app.id, url: config.steps?.step?.runtime?.url ?? app.url, config });
      }
    }
  };

  /** In-band sync (PUT with x-inngest-sync-kind: in_band): the SDK answers with its functions. */
  const sync = async (url: string) => {
    const body = canonicalJson({ url });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-inngest-sync-kind": "in_band",
      "x-inngest-server-kind": options.signingKey ? "cloud" : "dev",
    };
    if (options.signingKey) headers["x-inngest-signature"] = signBody(body, options.signingKey);
    const res = await fetch(url, { method: "PUT", headers, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`sync of ${url} failed: ${res.status} ${text}`);
    const reg = JSON.parse(text) as { app_id: string; functions: FunctionConfig[]; url?: string };
    await registerApp(reg.app_id, reg.url ?? url, reg.functions ?? []);
    return reg;
  };

  // ── helpers over function configs ──────────────────────────────────────
  const maxAttemptsOf = (cfg: FunctionConfig) => (cfg.steps?.step?.retries?.attempts ?? defaultRetries) + 1;

  const concurrencyKeys = (fn: RegisteredFunction, event: StoredEvent): ConcurrencyKey[] => {
    const raw = fn.config.concurrency;
    if (raw === undefined || raw === null) return [];
    const list: ConcurrencyConfig[] = typeof raw === "number" ? [{ limit: raw }] : Array.isArray(raw) ? raw : [raw];
    return list
      .filter((c) => c.limit > 0)
      .map((c) => {
        const scope = c.scope ?? "fn";
        const base = scope === "fn" ? fn.config.id : scope;
        const value = c.key ? evaluateKey(c.key, { event }) : "";
        return { key: `${base}:${c.key ?? ""}:${value ?? ""}`, limit: c.limit };
      });
  };

  const throttleKey = (fn: RegisteredFunction, event: StoredEvent) => {
    const t = fn.config.throttle;
    if (!t) return null;
    const value = t.key ? evaluateKey(t.key, { event }) : "";
    return `${fn.config.id}:${value ?? ""}`;
  };

  const triggerMatches = (cfg: FunctionConfig, event: StoredEvent) =>
    (cfg.triggers ?? []).some((t) => {
      if (!t.event) return false;
      const nameOk = t.event.endsWith("*") ? event.name.startsWith(t.event.slice(0, -1)) : t.event === event.name;
      return nameOk && matches(t.expression, { event });
    });

  const tenantOf = (event: StoredEvent) => {
    const t = event.data?.tenantId;
    return typeof t === "string" ? t : null;
  };

  // ── runs ────────────────────────────────────────────────────────────────
  const createRun = async (
    tx: Tx,
    fn: RegisteredFunction,
    event: StoredEvent,
    parent?: { runId: string; stepId: string },
  ): Promise<string | null> => {
    const runId = newId();
    if (fn.config.idempotency && !parent) {
      const value = evaluateKey(fn.config.idempotency, { event });
      if (value !== null) {
        const key = `${fn.config.id}:${value}`;
        const now = new Date();
        const existing = await tx.inngestIdempotencyKey.findUnique({ where: { key } });
        if (existing && existing.expiresAt > now) return null;
        await tx.inngestIdempotencyKey.upsert({
          where: { key },
          create: { key, runId, expiresAt: new Date(now.getTime() + DAY_MS) },
          update: { runId, expiresAt: new Date(now.getTime() + DAY_MS) },
        });
      }
    }
    await tx.inngestRun.create({
      data: {
        id: runId,
        appId: fn.appId,
        functionId: fn.config.id,
        status: "QUEUED",
        eventId: event.id,
        event: json(event),
        events: json([event]),
        tenantId: tenantOf(event),
        maxAttempts: maxAttemptsOf(fn.config),
        parentRunId: parent?.runId,
        parentStepId: parent?.stepId,
      },
    });
    await tx.inngestQueueItem.create({
      data: {
        id: newId(),
        runId,
        kind: "CALL",
        stepId: "step",
        availableAt: new Date(),
        concurrency: json(concurrencyKeys(fn, event)),
        throttleKey: throttleKey(fn, event),
      },
    });
    return runId;
  };

  /** Parks nothing and holds nothing: the run needs a discovery call. */
  const enqueueDiscoveryIfIdle = async (tx: Tx, run: Run) => {
    const [items, waits] = await Promise.all([
      tx.inngestQueueItem.count({ where: { runId: run.id } }),
      tx.inngestWait.count({ where: { runId: run.id } }),
    ]);
    if (items + waits > 0) return;
    const fn = functions.get(run.functionId);
    const event = run.event as unknown as StoredEvent;
    await tx.inngestQueueItem.create({
      data: {
        id: newId(),
        runId: run.id,
        kind: "CALL",
        stepId: "step",
        availableAt: new Date(),
        concurrency: json(fn ? concurrencyKeys(fn, event) : []),
      },
    });
  };

  /** Locks the run row for the rest of the transaction; null when the run is no longer active. */
  const lockActiveRun = async (tx: Tx, runId: string) => {
    await tx.$queryRaw`SELECT id FROM "InngestRun" WHERE id = ${runId} FOR UPDATE`;
    const run = await tx.inngestRun.findUnique({ where: { id: runId } });
    return run && ACTIVE.includes(run.status) ? run : null;
  };

  const memoize = (tx: Tx, runId: string, stepId: string, op: string, state: StepState, name?: string) =>
    tx.inngestStep.createMany({
      data: [
        {
          runId,
          stepId,
          op,
          name: name ?? null,
          data: "data" in state ? json(state.data) : undefined,
          error: "error" in state ? json(state.error) : undefined,
        },
      ],
      skipDuplicates: true,
    });

  const events: StoredEvent[] = [];
  const pendingEvents = () => events.splice(0);

  const finishRun = async (tx: Tx, run: Run, outcome: { data: unknown } | { error: JsonError }, attempts: number) => {
    const failed = "error" in outcome;
    await tx.inngestRun.update({
      where: { id: run.id },
      data: {
        status: failed ? "FAILED" : "COMPLETED",
        output: failed ? undefined : json(outcome.data),
        error: failed ? json(outcome.error) : undefined,
        finishedAt: new Date(),
      },
    });
    await tx.inngestQueueItem.deleteMany({ where: { runId: run.id } });
    await tx.inngestWait.deleteMany({ where: { runId: run.id } });
    const event = run.event as unknown as StoredEvent;
    if (failed) {
      await tx.inngestDeadLetter.createMany({
        data: [
          {
            functionId: run.functionId,
            runId: run.id,
            eventId: run.eventId,
            eventName: event.name,
            event: json(event),
            tenantId: run.tenantId,
            errorName: outcome.error.name,
            errorMessage: outcome.error.message,
            error: json(outcome.error),
            attempts: Math.max(attempts, run.attempts),
          },
        ],
        skipDuplicates: true,
      });
      if (event.name !== "inngest/function.failed") {
        events.push({
          id: newId(),
          name: "inngest/function.failed",
          ts: Date.now(),
          data: { error: outcome.error, event, function_id: run.functionId, run_id: run.id },
        });
      }
    }
    if (run.parentRunId && run.parentStepId) {
      const wait = await tx.inngestWait.findFirst({ where: { runId: run.parentRunId, childRunId: run.id } });
      if (wait) await resolveWaitTx(tx, wait.id, failed ? { error: outcome.error } : { data: outcome.data });
    }
  };

  const resolveWaitTx = async (tx: Tx, waitId: string, state: StepState) => {
    const wait = await tx.inngestWait.findUnique({ where: { id: waitId } });
    if (!wait) return false;
    const run = await lockActiveRun(tx, wait.runId);
    const { count } = await tx.inngestWait.deleteMany({ where: { id: waitId } });
    if (!count || !run) return false;
    await memoize(tx, run.id, wait.stepId, wait.kind === "INVOKE" ? "InvokeFunction" : "WaitForEvent", state);
    await enqueueDiscoveryIfIdle(tx, run);
    return true;
  };

  const transaction = <T>(fn: (tx: Tx) => Promise<T>) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 });

  // ── event intake ────────────────────────────────────────────────────────
  /** Accepts events (the HTTP intake and step.sendEvent land here). Returns the event ids. */
  const send = async (payloads: EventPayload | EventPayload[]): Promise<string[]> => {
    const list = Array.isArray(payloads) ? payloads : [payloads];
    const ids: string[] = [];
    for (const p of list) {
      if (!p || typeof p.name !== "string" || !p.name) throw new Error("every event needs a name");
      const event: StoredEvent = { ...p, id: p.id || newId(), ts: p.ts || Date.now(), data: p.data ?? {} };
      ids.push(event.id);
      await ingest(event);
    }
    kick();
    return ids;
  };

  const ingest = async (event: StoredEvent) => {
    const { count } = await db.inngestEvent.createMany({
      data: [{ id: event.id, name: event.name, payload: json(event), ts: new Date(event.ts) }],
      skipDuplicates: true,
    });
    if (!count) return; // duplicate event id: starts nothing

    // 1. runs waiting for this event
    const waits = await db.inngestWait.findMany({ where: { kind: "EVENT", eventName: event.name } });
    for (const w of waits) {
      const run = await db.inngestRun.findUnique({ where: { id: w.runId } });
      if (run && matches(w.expression, { event: run.event, async: event })) {
        await transaction((tx) => resolveWaitTx(tx, w.id, { data: event }));
      }
    }
    // 2. cancelOn
    for (const fn of functions.values()) {
      const cancels = (fn.config.cancel ?? []).filter((c) => c.event === event.name);
      if (!cancels.length) continue;
      const runs = await db.inngestRun.findMany({ where: { functionId: fn.config.id, status: { in: ACTIVE } } });
      for (const run of runs) {
        const c = cancels.find((c) => {
          if (c.timeout) {
            const until = resolveUntil(c.timeout, run.createdAt.getTime());
            if (until !== null && Date.now() > until) return false;
          }
          return matches(c.if, { event: run.event, async: event });
        });
        if (c) await cancelRun(run.id);
      }
    }
    await flushInternalEvents();
    // 3. triggers
    const matching = [...functions.values()].filter((fn) => triggerMatches(fn.config, event));
    if (matching.length) {
      await transaction(async (tx) => {
        for (const fn of matching) await createRun(tx, fn, event);
      });
    }
  };

  const cancelRun = async (runId: string) => {
    await transaction(async (tx) => {
      const run = await lockActiveRun(tx, runId);
      if (!run) return;
      await tx.inngestRun.update({ where: { id: runId }, data: { status: "CANCELLED", finishedAt: new Date() } });
      await tx.inngestQueueItem.deleteMany({ where: { runId } });
      await tx.inngestWait.deleteMany({ where: { runId } });
      events.push({
        id: newId(),
        name: "inngest/function.cancelled",
        ts: Date.now(),
        data: { event: run.event, function_id: run.functionId, run_id: run.id },
      });
    });
  };

  const flushInternalEvents = async () => {
    const evs = pendingEvents();
    for (const e of evs) await ingest(e);
  };

  // ── leasing (concurrency + throttle) ───────────────────────────────────
  const lease = async (capacity: number): Promise<Item[]> => {
    if (capacity <= 0) return [];
    return transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS ok FROM (SELECT pg_advisory_xact_lock(${LEASE_LOCK_ID})) AS l`;
      const now = new Date();
      const active = await tx.inngestQueueItem.findMany({
        where: { kind: "CALL", leaseUntil: { gte: now } },
        select: { concurrency: true },
      });
      const counts = new Map<string, number>();
      const limits = new Map<string, number>();
      const bump = (keys: ConcurrencyKey[]) => keys.forEach((k) => counts.set(k.key, (counts.get(k.key) ?? 0) + 1));
      active.forEach((a) => {
        const keys = (a.concurrency ?? []) as ConcurrencyKey[];
        keys.forEach((k) => limits.set(k.key, k.limit));
        bump(keys);
      });
      // Fair share: items whose (first) concurrency key is already at its limit are
      // skipped in SQL, so one key's backlog — a tenant's burst of thousands —
      // cannot fill the candidate window and starve every other key.
      const saturated = [...counts].filter(([key, n]) => n >= (limits.get(key) ?? Infinity)).map(([key]) => key);
      const ids = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "InngestQueueItem"
        WHERE "availableAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
          AND NOT (COALESCE("concurrency"->0->>'key', '') = ANY(${saturated}::text[]))
        ORDER BY "availableAt" ASC, "createdAt" ASC, "id" ASC
        LIMIT ${capacity * 4 + 32}`;
      if (!ids.length) return [];
      const candidates = await tx.inngestQueueItem.findMany({
        where: { id: { in: ids.map((r) => r.id) } },
        orderBy: [{ availableAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      });
      const blockedThrottle = new Map<string, Date>();
      const leased: Item[] = [];
      for (const c of candidates) {
        if (leased.length >= capacity) break;
        if (c.kind === "CALL") {
          const keys = (c.concurrency ?? []) as ConcurrencyKey[];
          if (keys.some((k) => (counts.get(k.key) ?? 0) >= k.limit)) continue;
          if (c.throttleKey) {
            const allowedAt = blockedThrottle.get(c.throttleKey) ?? (await throttleCheck(tx, c, now));
            if (allowedAt) {
              blockedThrottle.set(c.throttleKey, allowedAt);
              await tx.inngestQueueItem.update({ where: { id: c.id }, data: { availableAt: allowedAt } });
              continue;
            }
          }
          bump(keys);
        }
        const leaseUntil = new Date(now.getTime() + leaseMs);
        await tx.inngestQueueItem.update({ where: { id: c.id }, data: { leaseUntil, leaseOwner: owner, throttleKey: null } });
        leased.push({ ...c, leaseUntil, leaseOwner: owner });
      }
      return leased;
    });
  };

  /** GCRA over run starts. Returns null when the start is allowed (and books it), else the time it will be. */
  const throttleCheck = async (tx: Tx, item: Item, now: Date): Promise<Date | null> => {
    const run = await tx.inngestRun.findUnique({ where: { id: item.runId } });
    const fn = run && functions.get(run.functionId);
    const t = fn?.config.throttle;
    if (!t || !item.throttleKey) return null;
    const periodMs = parseTimeString(t.period) ?? 60_000;
    const emission = periodMs / Math.max(1, t.limit);
    const burst = Math.max(1, t.burst ?? 1);
    const row = await tx.inngestThrottle.findUnique({ where: { key: item.throttleKey } });
    const tat = Math.max(row?.tat.getTime() ?? 0, now.getTime());
    const allowedAt = tat - (burst - 1) * emission;
    if (allowedAt > now.getTime()) return new Date(allowedAt);
    const next = new Date(tat + emission);
    await tx.inngestThrottle.upsert({ where: { key: item.throttleKey }, create: { key: item.throttleKey, tat: next }, update: { tat: next } });
    return null;
  };

  // ── processing ──────────────────────────────────────────────────────────
  const process1 = async (item: Item) => {
    if (item.kind === "SLEEP") {
      await transaction(async (tx) => {
        const run = await lockActiveRun(tx, item.runId);
        const { count } = await tx.inngestQueueItem.deleteMany({ where: { id: item.id } });
        if (!run || !count) return;
        await memoize(tx, run.id, item.stepId, "Sleep", { data: null });
        await enqueueDiscoveryIfIdle(tx, run);
      });
      return;
    }
    const run = await db.inngestRun.findUnique({ where: { id: item.runId } });
    if (!run || !ACTIVE.includes(run.status)) {
      await db.inngestQueueItem.deleteMany({ where: { id: item.id } });
      return;
    }
    const fn = functions.get(run.functionId);
    if (!fn) {
      log.warn("function not synced; retrying later", { functionId: run.functionId });
      await db.inngestQueueItem.update({ where: { id: item.id }, data: { leaseUntil: null, availableAt: new Date(Date.now() + 1000) } });
      return;
    }
    if (run.status === "QUEUED") {
      await db.inngestRun.updateMany({ where: { id: run.id, status: "QUEUED" }, data: { status: "RUNNING", startedAt: new Date() } });
    }
    const steps = await db.inngestStep.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } });
    const stepState: Record<string, StepState> = {};
    for (const s of steps) stepState[s.stepId] = s.error !== null ? { error: s.error as JsonError } : { data: s.data };
    const stack = steps.map((s) => s.stepId);
    const body = canonicalJson({
      event: run.event,
      events: run.events,
      steps: stepState,
      ctx: {
        run_id: run.id,
        attempt: item.attempt,
        max_attempts: run.maxAttempts,
        disable_immediate_execution: run.disableImmediate,
        use_api: false,
        stack: { stack, current: Math.max(0, stack.length - 1) },
      },
      version: 2,
    });
    const url = new URL(fn.url);
    url.searchParams.set("fnId", run.functionId);
    url.searchParams.set("stepId", item.stepId);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-inngest-server-kind": options.signingKey ? "cloud" : "dev",
      "x-inngest-req-version": "2",
    };
    if (options.signingKey) headers["x-inngest-signature"] = signBody(body, options.signingKey);

    const renew = setInterval(() => {
      void db.inngestQueueItem
        .updateMany({ where: { id: item.id, leaseOwner: owner }, data: { leaseUntil: new Date(Date.now() + leaseMs) } })
        .catch(() => {});
    }, Math.max(50, Math.floor(leaseMs / 3)));
    let status: number;
    let resHeaders: Headers;
    let text: string;
    try {
      const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(requestTimeoutMs) });
      status = res.status;
      resHeaders = res.headers;
      text = await res.text();
    } catch (err) {
      status = 0;
      resHeaders = new Headers();
      text = JSON.stringify({ name: "ExecutorRequestError", message: (err as Error).message });
    } finally {
      clearInterval(renew);
    }
    await settle(item, status, resHeaders, text);
  };

  const retryDelay = (headers: Headers, attempt: number) => {
    const ra = headers.get("retry-after");
    if (ra) {
      const secs = Number(ra);
      if (Number.isFinite(secs)) return secs * 1000;
      const at = Date.parse(ra);
      if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
    }
    return backoff(attempt);
  };

  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };

  const settle = async (item: Item, status: number, headers: Headers, text: string) => {
    const noRetry = headers.get("x-inngest-no-retry") === "true";
    await transaction(async (tx) => {
      const run = await lockActiveRun(tx, item.runId);
      const { count } = await tx.inngestQueueItem.deleteMany({ where: { id: item.id, leaseOwner: owner } });
      if (!run || !count) return; // cancelled meanwhile, or our lease was lost to another executor
      if (item.attempt + 1 > run.attempts) {
        run.attempts = item.attempt + 1;
        await tx.inngestRun.update({ where: { id: run.id }, data: { attempts: run.attempts } });
      }

      if (status === 200) {
        await finishRun(tx, run, { data: parseJson(text) }, item.attempt + 1);
        return;
      }
      if (status === 206) {
        const parsed = parseJson(text);
        const ops = (Array.isArray(parsed) ? parsed : [parsed]) as OutgoingOp[];
        if (ops.length > 1 && !run.disableImmediate) {
          await tx.inngestRun.update({ where: { id: run.id }, data: { disableImmediate: true } });
        }
        for (const op of ops) await applyOp(tx, run, item, op, noRetry, headers);
        await enqueueDiscoveryIfIdle(tx, run);
        return;
      }
      // function-level error (500 retriable / 400 non-retriable) or transport failure
      const error = toJsonError(parseJson(text), status ? `HTTP${status}` : "ExecutorRequestError");
      const retriable = !noRetry && status !== 400;
      if (retriable && item.attempt + 1 < run.maxAttempts) {
        await tx.inngestQueueItem.create({
          data: {
            ...item,
            id: newId(),
            attempt: item.attempt + 1,
            availableAt: new Date(Date.now() + retryDelay(headers, item.attempt + 1)),
            leaseUntil: null,
            leaseOwner: null,
            concurrency: json(item.concurrency),
            createdAt: new Date(),
          },
        });
        return;
      }
      await finishRun(tx, run, { error }, item.attempt + 1);
    });
    await flushInternalEvents();
  };

  const applyOp = async (tx: Tx, run: Run, item: Item, op: OutgoingOp, noRetry: boolean, headers: Headers) => {
    const name = op.displayName ?? (op as { userland?: { id?: string } }).userland?.id ?? op.name;
    const opts = op.opts ?? {};
    switch (op.op) {
      case "Step":
      case "StepRun":
        await memoize(tx, run.id, op.id, op.op, { data: op.data ?? null }, name);
        return;
      case "StepFailed":
        await memoize(tx, run.id, op.id, op.op, { error: toJsonError(op.error) }, name);
        return;
      case "StepError": {
        const attempt = op.id === item.stepId ? item.attempt : 0;
        if (!noRetry && attempt + 1 < run.maxAttempts) {
          await tx.inngestQueueItem.create({
            data: {
              id: newId(),
              runId: run.id,
              kind: "CALL",
              stepId: op.id,
              attempt: attempt + 1,
              availableAt: new Date(Date.now() + retryDelay(headers, attempt + 1)),
              concurrency: json(item.concurrency),
            },
          });
        } else {
          await memoize(tx, run.id, op.id, "StepFailed", { error: toJsonError(op.error) }, name);
        }
        return;
      }
      case "StepPlanned": {
        const [exists, done] = await Promise.all([
          tx.inngestQueueItem.count({ where: { runId: run.id, stepId: op.id } }),
          tx.inngestStep.count({ where: { runId: run.id, stepId: op.id } }),
        ]);
        if (exists || done) return;
        await tx.inngestQueueItem.create({
          data: { id: newId(), runId: run.id, kind: "CALL", stepId: op.id, availableAt: new Date(), concurrency: json(item.concurrency) },
        });
        return;
      }
      case "Sleep": {
        if (await tx.inngestQueueItem.count({ where: { runId: run.id, stepId: op.id } })) return;
        // SDK v4 puts the duration (time string or ISO date) in `name`; the spec puts it in opts.duration.
        const until = resolveUntil((opts.duration as string | undefined) ?? op.name, Date.now()) ?? Date.now();
        await tx.inngestQueueItem.create({ data: { id: newId(), runId: run.id, kind: "SLEEP", stepId: op.id, availableAt: new Date(until) } });
        return;
      }
      case "WaitForEvent": {
        if (await tx.inngestWait.count({ where: { runId: run.id, stepId: op.id } })) return;
        const until = resolveUntil(opts.timeout as string, Date.now());
        await tx.inngestWait.create({
          data: {
            id: newId(),
            runId: run.id,
            stepId: op.id,
            kind: "EVENT",
            // SDK v4 puts the event name in `name`; the spec puts it in opts.event.
            eventName: String(opts.event ?? op.name),
            expression: (opts.if as string | undefined) ?? null,
            expiresAt: until ? new Date(until) : null,
          },
        });
        return;
      }
      case "InvokeFunction": {
        if (await tx.inngestWait.count({ where: { runId: run.id, stepId: op.id } })) return;
        const target = functions.get(String(opts.function_id));
        const until = resolveUntil(opts.timeout as string, Date.now());
        if (!target) {
          await memoize(tx, run.id, op.id, op.op, {
            error: { name: "Error", message: `could not find function ${String(opts.function_id)} to invoke` },
          });
          return;
        }
        const payload = (opts.payload ?? {}) as EventPayload;
        const event: StoredEvent = {
          ...payload,
          id: newId(),
          name: "inngest/function.invoked",
          ts: Date.now(),
          data: { ...(payload.data ?? {}), _inngest: { source_app_id: run.appId, source_fn_id: run.functionId, source_fn_v: 1 } },
        };
        await tx.inngestEvent.create({ data: { id: event.id, name: event.name, payload: json(event), ts: new Date(event.ts) } });
        const childRunId = await createRun(tx, target, event, { runId: run.id, stepId: op.id });
        await tx.inngestWait.create({
          data: { id: newId(), runId: run.id, stepId: op.id, kind: "INVOKE", childRunId, expiresAt: until ? new Date(until) : null },
        });
        return;
      }
      case "RunComplete":
        await finishRun(tx, run, { data: op.data ?? null }, item.attempt + 1);
        return;
      case "StepNotFound":
      default: {
        // Unknown op or a step the SDK could not find: retry the discovery call.
        log.warn("unsupported op; retrying the call", { op: op.op, runId: run.id });
        if (item.attempt + 1 < run.maxAttempts) {
          await tx.inngestQueueItem.create({
            data: {
              id: newId(),
              runId: run.id,
              kind: "CALL",
              stepId: "step",
              attempt: item.attempt + 1,
              availableAt: new Date(Date.now() + backoff(item.attempt + 1)),
              concurrency: json(item.concurrency),
            },
          });
        } else {
          await finishRun(tx, run, { error: { name: "UnsupportedOp", message: `unsupported op ${op.op}` } }, item.attempt + 1);
        }
      }
    }
  };

  const expireWaits = async () => {
    const due = await db.inngestWait.findMany({ where: { expiresAt: { lte: new Date() } }, take: 100 });
    for (const w of due) {
      const state: StepState =
        w.kind === "INVOKE"
          ? { error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for the invoked function to complete" } }
          : { data: null };
      await transaction((tx) => resolveWaitTx(tx, w.id, state));
    }
  };

  // ── loop ────────────────────────────────────────────────────────────────
  const tick = async () => {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        await expireWaits();
        const items = await lease(maxInFlight - inFlight);
        for (const item of items) {
          inFlight++;
          const p: Promise<void> = process1(item)
            .catch((err) => log.error("processing failed", { err: (err as Error).message, runId: item.runId }))
            .finally(() => {
              inFlight--;
              inFlightDone.delete(p);
              kick();
            });
          inFlightDone.add(p);
        }
        if (items.length) again = true;
      } while (again && running);
    } catch (err) {
      log.error("tick failed", { err: (err as Error).message });
    } finally {
      ticking = false;
    }
  };

  function kick() {
    if (running) setImmediate(() => void tick());
  }

  const loop = () => {
    if (!running) return;
    void tick().finally(() => {
      if (running) timer = setTimeout(loop, pollIntervalMs);
    });
  };

  const start = async () => {
    await loadApps();
    for (const url of options.appUrls ?? []) await sync(url);
    running = true;
    loop();
  };

  const stop = async () => {
    running = false;
    if (timer) clearTimeout(timer);
    while (ticking) await new Promise((r) => setTimeout(r, 10));
    await Promise.allSettled([...inFlightDone]);
  };

  /** Resolves when the run reaches one of `statuses` (polling Postgres). */
  const waitForRun = async (runId: string, statuses = ["COMPLETED", "FAILED", "CANCELLED"], timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await db.inngestRun.findUnique({ where: { id: runId } });
      if (run && statuses.includes(run.status)) return run;
      if (Date.now() > until) throw new Error(`run ${runId} still ${run?.status ?? "missing"} after ${timeoutMs}ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  return {
    owner,
    start,
    stop,
    sync,
    registerApp,
    send,
    tick,
    cancelRun,
    waitForRun,
    functions: () => [...functions.values()].map((f) => f.config),
  };
};
