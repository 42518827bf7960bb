import { trace, type Attributes, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { LRUCache } from "lru-cache";

/*
 * The telemetry privacy rules (issue 16), enforced in the pipeline rather than
 * at the call sites that set attributes:
 *
 *  1. Content is never exported, whatever a workspace chose: no attribute that
 *     exists to carry prompts, answers, documents or bound SQL values
 *     (GenAI messages, `ai.*` text, `db.query.parameter.*`) leaves a span, and
 *     URL attributes lose their query string (a tRPC GET carries its whole
 *     input there: search words, the tenant slug).
 *  2. A workspace with `Tenant.telemetryEnabled = false` is anonymous in
 *     telemetry: its spans carry no tenant id, tenant slug, user id or e-mail
 *     (keys removed; the values also replaced wherever they appear in another
 *     attribute, an event or the span name), and its log lines lose the same
 *     fields (logger.ts calls redactLogRecord). Metrics never carry a tenant or
 *     user attribute at all: the catalogue (metric-catalog.ts) declares each
 *     instrument's keys and metrics.ts accepts only those (privacy-telemetry.test.ts
 *     checks the catalogue).
 *  3. There is no product analytics (no analytics SDK, no tracking pixel, no
 *     client-side telemetry): nothing to switch off there.
 *
 * How a span is tied to its workspace. Attributes are only complete when a
 * span ends, and a trace's spans end children first: the HTTP server span
 * (whose URL holds /t/<slug>) ends after the procedure span that names the
 * tenant. So the processor remembers, per trace id, which tenant the trace
 * belongs to, learnt from (a) primeTenantTelemetry, called where the tenant
 * context is resolved (inside the request's trace, before any span of it that
 * names the tenant ends), and (b) any span with `ocsuite.tenant.id`, at start
 * or end (jobs, services). Every later span of that trace — the root
 * included — is scrubbed when it ends if the tenant opted out. Spans that end
 * before the tenant is known carry no identifiers of it except a URL slug;
 * those URLs are templated (/t/[tenantSlug]) unless the slug is known to
 * belong to a tenant that allows telemetry. A trace with spans of two tenants
 * (a platform admin's) keeps the restrictive one.
 *
 * The policy cache. isTelemetryAllowed is synchronous (a span processor cannot
 * wait), so it answers from a bounded LRU: a tenant not known yet counts as
 * NOT allowed (redacted) while a lookup runs in the background; the resolved
 * tenant context primes it on every request without an extra query. Entries
 * live POLICY_TTL_MS; a stale entry is still answered while it is reloaded.
 * A change (invalidateTenantTelemetry) drops the entry here and, when Redis is
 * configured, is published so every other process drops it too
 * (privacy-telemetry-source.ts); without Redis (the embedded default, one
 * process) the TTL is the backstop for any other process.
 *
 * State lives on globalThis: Next compiles src/instrumentation.ts (which
 * builds this processor) apart from the route bundles (which prime the cache),
 * so two copies of this module may exist in one process and must share it.
 * This module imports neither the database nor Redis (the instrumentation
 * bundle cannot load server-only modules): privacy-telemetry-source.ts
 * registers the lookup and the publisher from the server side.
 */

/** How long a tenant's setting is trusted before it is read again (the cross-process backstop without Redis). */
const POLICY_TTL_MS = 60_000;
/** How long a trace is remembered as a tenant's (long enough for a job continuing a request's trace). */
const TRACE_TTL_MS = 60 * 60_000;

type TenantTelemetrySource = {
  /** The tenant's setting and slug, or null when there is no such tenant. */
  load: (tenantId: string) => Promise<{ telemetryEnabled: boolean; slug: string } | null>;
  /** Tells every other process that the tenant's setting changed. */
  publish?: (tenantId: string) => Promise<void>;
};

type State = {
  policy: LRUCache<string, boolean>;
  slugToTenant: LRUCache<string, string>;
  tenantToSlug: LRUCache<string, string>;
  traces: LRUCache<string, string>;
  loading: Set<string>;
  source?: TenantTelemetrySource;
};

const g = globalThis as unknown as { __ocsuiteTelemetryPrivacy?: State };
const state = (): State =>
  (g.__ocsuiteTelemetryPrivacy ??= {
    policy: new LRUCache<string, boolean>({ max: 100_000, ttl: POLICY_TTL_MS, allowStale: true, noDeleteOnStaleGet: true }),
    slugToTenant: new LRUCache<string, string>({ max: 100_000 }),
    tenantToSlug: new LRUCache<string, string>({ max: 100_000 }),
    traces: new LRUCache<string, string>({ max: 100_000, ttl: TRACE_TTL_MS }),
    loading: new Set<string>(),
  });

/** Registers the database lookup and the cross-process publisher (privacy-telemetry-source.ts). */
export const registerTenantTelemetrySource = (source: TenantTelemetrySource): void => {
  state().source = source;
};

const load = (tenantId: string): void => {
  const s = state();
  if (!s.source || s.loading.has(tenantId)) return;
  s.loading.add(tenantId);
  s.source
    .load(tenantId)
    // No such tenant (deleted): nothing to attribute, stay redacted.
    .then((t) => primeTenantTelemetry(tenantId, t?.telemetryEnabled ?? false, t?.slug))
    // A failed lookup leaves the tenant unknown (redacted); the next span asks again.
    .catch(() => undefined)
    .finally(() => s.loading.delete(tenantId));
};

/**
 * Whether this tenant's telemetry may carry its identifiers. Synchronous, from
 * the cache; unknown → false (and a lookup starts), stale → the cached answer
 * (and a reload starts).
 */
export const isTelemetryAllowed = (tenantId: string): boolean => {
  const { policy } = state();
  const v = policy.get(tenantId);
  if (v === undefined || policy.getRemainingTTL(tenantId) <= 0) load(tenantId);
  return v ?? false;
};

/** Awaits the tenant's setting when it is not cached (a job before its span starts); true when allowed. */
export const loadTenantTelemetry = async (tenantId: string): Promise<boolean> => {
  const s = state();
  const cached = s.policy.get(tenantId);
  if (cached !== undefined && s.policy.getRemainingTTL(tenantId) > 0) return cached;
  if (!s.source) return cached ?? false;
  const t = await s.source.load(tenantId).catch(() => undefined);
  if (t === undefined) return cached ?? false;
  primeTenantTelemetry(tenantId, t?.telemetryEnabled ?? false, t?.slug);
  return t?.telemetryEnabled ?? false;
};

/** Remembers that `traceId` belongs to `tenantId`; of two tenants in one trace, the one not allowed wins. */
const bindTrace = (traceId: string, tenantId: string): void => {
  const { traces, policy } = state();
  const current = traces.get(traceId);
  if (current === tenantId) return;
  if (current !== undefined && policy.get(current) !== true) return;
  traces.set(traceId, tenantId);
};

/**
 * Records a tenant's setting (and slug), e.g. from the tenant row the request
 * already loaded, and ties the active trace to the tenant, so every span and
 * log line of this request that ends or is written from now on follows it.
 */
export const primeTenantTelemetry = (tenantId: string, enabled: boolean, slug?: string): void => {
  const s = state();
  s.policy.set(tenantId, enabled);
  if (slug) {
    s.slugToTenant.set(slug, tenantId);
    s.tenantToSlug.set(tenantId, slug);
  }
  const active = trace.getActiveSpan()?.spanContext();
  if (active && trace.isSpanContextValid(active)) bindTrace(active.traceId, tenantId);
};

/** Forgets this process's copy of a tenant's setting (a Redis message from another process). */
export const forgetTenantTelemetry = (tenantId: string): void => {
  state().policy.delete(tenantId);
};

/**
 * Call after a tenant's telemetry setting changed: this process forgets it at
 * once (redacting until it is read again) and, with Redis, so does every other
 * process; without Redis other processes follow within POLICY_TTL_MS.
 */
export const invalidateTenantTelemetry = async (tenantId: string): Promise<void> => {
  const s = state();
  s.policy.delete(tenantId);
  await s.source?.publish?.(tenantId);
};

// ── The span processor ─────────────────────────────────────────────────────

/** Attributes that exist to carry content (GenAI semconv messages, the AI SDK's text, bound SQL values). */
const CONTENT_KEY =
  /^(gen_ai\.(prompt|completion|input\.messages|output\.messages|system_instructions|tool\.call\.(arguments|result))|ai\.(prompt|response\.(text|object|toolCalls))|db\.query\.parameter\.|db\.statement\.parameters|http\.request\.body|http\.response\.body|url\.query$)/;
/** Attributes holding a URL or path: their query string is dropped, their tenant slug templated when needed. */
const URL_KEYS = ["http.target", "http.url", "url.full", "url.path", "next.url", "http.path"] as const;
/** Attributes that identify a tenant or a person. */
const IDENTIFIER_KEY = /^(ocsuite\.tenant\.|enduser\.|user\.|ocsuite\.user\.)|(^|\.)(tenant_?id|tenant_?slug|user_?id|email)$/i;
const TENANT_PATH = /\/t\/([a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?)(?=[/?#]|$)/;
const TENANT_PATHS = new RegExp(TENANT_PATH.source, "g");
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

const stripQuery = (v: string) => {
  const i = v.search(/[?#]/);
  return i === -1 ? v : v.slice(0, i);
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces every identifier value in a string: URL slugs templated, other values and e-mail addresses redacted. */
const scrubber = (values: string[]) => {
  const re = values.length ? new RegExp(values.filter(Boolean).map(escapeRegExp).join("|"), "g") : null;
  return (v: string) => {
    let out = v.replace(TENANT_PATHS, "/t/[tenantSlug]").replace(EMAIL, "[email]");
    if (re) out = out.replace(re, "[redacted]");
    return out;
  };
};

const scrubAttributes = (attrs: Attributes, fix: (v: string) => string, dropIdentifiers: boolean) => {
  for (const [k, v] of Object.entries(attrs)) {
    if (dropIdentifiers && IDENTIFIER_KEY.test(k)) delete attrs[k];
    else if (typeof v === "string") attrs[k] = fix(v);
    else if (Array.isArray(v)) attrs[k] = v.map((x) => (typeof x === "string" ? fix(x) : x)) as typeof v;
  }
};

/** The tenant slug a span's URL attributes or name carry, if any. */
const slugOf = (span: ReadableSpan): string | undefined => {
  for (const k of URL_KEYS) {
    const v = span.attributes[k];
    const m = typeof v === "string" ? TENANT_PATH.exec(v) : null;
    if (m) return m[1];
  }
  return TENANT_PATH.exec(span.name)?.[1];
};

/** Applies the content rule to one ended span (every tenant, every setting). */
const dropContent = (span: ReadableSpan) => {
  const attrs = span.attributes as Attributes;
  for (const k of Object.keys(attrs)) if (CONTENT_KEY.test(k)) delete attrs[k];
  for (const k of URL_KEYS) {
    const v = attrs[k];
    if (typeof v === "string") attrs[k] = stripQuery(v);
  }
  for (const e of span.events) {
    if (!e.attributes) continue;
    for (const k of Object.keys(e.attributes)) if (CONTENT_KEY.test(k)) delete (e.attributes as Attributes)[k];
  }
};

const rename = (span: ReadableSpan, name: string) => {
  if (name !== span.name) (span as { name: string }).name = name;
};

/** Removes a tenant's identifiers (and its users') from one ended span. */
const anonymise = (span: ReadableSpan, tenantId: string | undefined) => {
  const attrs = span.attributes as Attributes;
  const values = [tenantId, tenantId && state().tenantToSlug.get(tenantId)];
  for (const [k, v] of Object.entries(attrs)) if (IDENTIFIER_KEY.test(k) && typeof v === "string") values.push(v);
  const fix = scrubber(values.filter((v): v is string => typeof v === "string" && v.length > 0));
  scrubAttributes(attrs, fix, true);
  for (const e of span.events) {
    if (e.attributes) scrubAttributes(e.attributes as Attributes, fix, true);
    (e as { name: string }).name = fix(e.name);
  }
  for (const l of span.links) if (l.attributes) scrubAttributes(l.attributes as Attributes, fix, true);
  const status = span.status as { message?: string };
  if (status.message) status.message = fix(status.message);
  rename(span, fix(span.name));
};

/** Only a URL slug may name the tenant, and it is not known to be allowed: template it. */
const templateSlug = (span: ReadableSpan) => {
  const attrs = span.attributes as Attributes;
  const fix = (v: string) => v.replace(TENANT_PATHS, "/t/[tenantSlug]");
  for (const k of URL_KEYS) {
    const v = attrs[k];
    if (typeof v === "string") attrs[k] = fix(v);
  }
  rename(span, fix(span.name));
};

/**
 * Enforces the rules above on every span when it ends, before any exporter's
 * processor sees it (listed first in traceSpanProcessors). An ended span's
 * attribute record is amended in place, as NextServerSpanSemconvProcessor does.
 */
export class TelemetryPrivacySpanProcessor implements SpanProcessor {
  onStart(span: Span, _parent: Context): void {
    // Spans opened with the tenant among their attributes (jobs, services) tie their trace to it now,
    // so log lines written inside them already follow the tenant's setting.
    const tenantId = span.attributes["ocsuite.tenant.id"];
    if (typeof tenantId === "string") bindTrace(span.spanContext().traceId, tenantId);
  }

  onEnd(span: ReadableSpan): void {
    dropContent(span);
    const traceId = span.spanContext().traceId;
    const own = span.attributes["ocsuite.tenant.id"];
    if (typeof own === "string") bindTrace(traceId, own);
    let tenantId = state().traces.get(traceId) ?? (typeof own === "string" ? own : undefined);
    if (tenantId === undefined) {
      // Only a URL slug may name the workspace (a span that ended before the tenant was resolved).
      const slug = slugOf(span);
      tenantId = slug ? state().slugToTenant.get(slug) : undefined;
      if (tenantId === undefined) {
        if (slug) templateSlug(span);
        return;
      }
    }
    if (!isTelemetryAllowed(tenantId)) anonymise(span, tenantId);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

// ── Logs ───────────────────────────────────────────────────────────────────

/** Log fields that identify a tenant or a person (pino's own keys, as the code base writes them). */
const LOG_IDENTIFIER_KEYS = new Set(["tenantId", "tenantSlug", "slug", "userId", "actorId", "email", "to", "memberId", "inviteeEmail", "userEmail"]);

/**
 * pino's `formatters.log`: a line about a tenant that does not allow telemetry
 * (its `tenantId`, or the trace it is written in, see above) loses the tenant
 * and user identifiers and any e-mail address; everything else is unchanged.
 */
export const redactLogRecord = (obj: Record<string, unknown>): Record<string, unknown> => {
  const s = state();
  const byTrace = typeof obj.trace_id === "string" ? s.traces.get(obj.trace_id) : undefined;
  const bySlug = typeof obj.tenantSlug === "string" ? s.slugToTenant.get(obj.tenantSlug) : undefined;
  const tenants = [typeof obj.tenantId === "string" ? obj.tenantId : undefined, byTrace, bySlug].filter((t): t is string => t !== undefined);
  if (tenants.every((t) => isTelemetryAllowed(t))) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (LOG_IDENTIFIER_KEYS.has(k)) continue;
    out[k] = typeof v === "string" ? v.replace(EMAIL, "[email]") : v;
  }
  out.telemetry = "anonymised";
  return out;
};

/**
 * pino's `hooks.logMethod` arguments: the message (and any interpolation
 * argument) of a line about an opted-out tenant loses e-mail addresses and the
 * tenant's id and slug. Messages are constant by convention (data goes in the
 * object); this catches the ones that are not. It runs before mixin, so the
 * trace is read from the active span here.
 */
export const redactLogArgs = (args: unknown[]): unknown[] => {
  const s = state();
  const first = args[0];
  const own = typeof first === "object" && first !== null ? (first as Record<string, unknown>).tenantId : undefined;
  const active = trace.getActiveSpan()?.spanContext().traceId;
  const tenants = [typeof own === "string" ? own : undefined, active ? s.traces.get(active) : undefined].filter((t): t is string => t !== undefined);
  if (tenants.every((t) => isTelemetryAllowed(t))) return args;
  const fix = scrubber(tenants.flatMap((t) => [t, s.tenantToSlug.get(t)]).filter((v): v is string => typeof v === "string" && v.length > 0));
  return args.map((a) => (typeof a === "string" ? fix(a) : a));
};
