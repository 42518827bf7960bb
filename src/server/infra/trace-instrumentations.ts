import { SpanKind, type Context } from "@opentelemetry/api";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { PrismaInstrumentation } from "@prisma/instrumentation";
import { TelemetryPrivacySpanProcessor } from "./privacy-telemetry";

/**
 * What every process adds to its tracer provider (web: src/instrumentation.ts
 * through @vercel/otel; the worker and other plain-Node processes:
 * trace-sdk.ts), so a request's or a job's database work shows up as child
 * spans of the procedure or step that did it.
 *
 * No `server-only` here: src/instrumentation.ts loads this module, and Next
 * compiles the instrumentation hook outside the React server graph.
 *
 * DB spans come from Prisma itself. With the `prisma-client` generator and
 * `engineType = "client"` (JS query compiler + @prisma/adapter-pg) the client
 * asks a global tracing helper, which PrismaInstrumentation installs, for every
 * call: `prisma:client:operation` (model + method) and one `prisma:client:db_query` (CLIENT, `db.system.name`, `db.query.text`
 * with $n placeholders — never the values) per SQL statement. Because the
 * helper is looked up per call, this works however late it is registered; the
 * pg driver's own instrumentation (@opentelemetry/instrumentation-pg) only
 * works when it patches `pg` before the first import, which the worker's
 * static imports already did, and would duplicate every query span.
 */
export const traceInstrumentations = (): Instrumentation[] => [
  // Not the client's internal phases (request serialisation, query compilation): two spans per
  // statement that no dashboard or alert reads, created and processed on every query (issue 14's
  // profiles: span creation and our processors were ~5 % of a busy web process's CPU).
  new PrismaInstrumentation({ ignoreSpanTypes: ["prisma:client:serialize", "prisma:client:compile"] }),
];

const PRISMA_OPERATION = "prisma:client:operation";
const PRISMA_QUERY = "prisma:client:db_query";

/** The statement's verb (`SELECT`, `INSERT`, `BEGIN` …), as semconv's db.operation.name. */
const sqlVerb = (sql: string) => /^\s*([a-z]+)/i.exec(sql)?.[1]?.toUpperCase();

/** The first table a Prisma statement names (`"public"."Task"` → Task). */
const sqlTable = (sql: string) => /\b(?:from|into|update|join)\s+(?:"[^"]+"\.)?"([^"]+)"/i.exec(sql)?.[1];

/**
 * Adds the database semantic-convention attributes Prisma leaves out, when
 * a span starts (the only time attributes can still be set from a processor):
 * db.system.name, db.operation.name and db.collection.name on the operation
 * span (the Prisma model and method), and db.operation.name /
 * db.collection.name on each query span (from the statement's verb and table).
 */
export class PrismaSemconvSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parent: Context): void {
    const attrs = span.attributes;
    if (span.name === PRISMA_OPERATION) {
      const model = attrs.model;
      const method = attrs.method;
      span.setAttribute("db.system.name", "postgresql");
      if (typeof method === "string") span.setAttribute("db.operation.name", method);
      if (typeof model === "string") span.setAttribute("db.collection.name", model);
    } else if (span.name === PRISMA_QUERY) {
      const sql = attrs["db.query.text"];
      if (typeof sql !== "string") return;
      const verb = sqlVerb(sql);
      const table = sqlTable(sql);
      if (verb) span.setAttribute("db.operation.name", verb);
      if (table) span.setAttribute("db.collection.name", table);
    }
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Next's own HTTP server span (`BaseServer.handleRequest`, the parent of every
 * procedure and route-kit span) uses the old HTTP attribute names
 * (http.method, http.status_code); this adds the current ones
 * (http.request.method, http.response.status_code) when the span ends.
 * The status is only known then, after the last moment a processor may set
 * attributes through the API, so the ended span's attribute record is
 * amended before any exporter serialises it — as @vercel/otel's own
 * processor does for its operation.name (which is why this one is listed
 * before "auto" in src/instrumentation.ts).
 */
export class NextServerSpanSemconvProcessor implements SpanProcessor {
  onStart(_span: Span, _parent: Context): void {}
  onEnd(span: ReadableSpan): void {
    const a = span.attributes;
    if (span.kind !== SpanKind.SERVER || a["next.span_type"] !== "BaseServer.handleRequest") return;
    Object.assign(a, {
      ...(a["http.request.method"] === undefined && typeof a["http.method"] === "string" ? { "http.request.method": a["http.method"] } : {}),
      ...(a["http.response.status_code"] === undefined && typeof a["http.status_code"] === "number" ? { "http.response.status_code": a["http.status_code"] } : {}),
    });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The span processors every process lists before its exporter's (see the two classes above). The
 * privacy processor (privacy-telemetry.ts: content never exported, opted-out workspaces anonymous)
 * is first, so its onEnd has amended every span before anything else reads or exports it.
 */
export const traceSpanProcessors = (): SpanProcessor[] => [new TelemetryPrivacySpanProcessor(), new PrismaSemconvSpanProcessor(), new NextServerSpanSemconvProcessor()];
