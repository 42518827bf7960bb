import type { Context } from "@opentelemetry/api";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { PrismaInstrumentation } from "@prisma/instrumentation";

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
 * call: `prisma:client:operation` (model + method), `prisma:client:serialize`
 * and one `prisma:client:db_query` (CLIENT, `db.system.name`, `db.query.text`
 * with $n placeholders — never the values) per SQL statement. Because the
 * helper is looked up per call, this works however late it is registered; the
 * pg driver's own instrumentation (@opentelemetry/instrumentation-pg) only
 * works when it patches `pg` before the first import, which the worker's
 * static imports already did, and would duplicate every query span.
 */
export const traceInstrumentations = (): Instrumentation[] => [new PrismaInstrumentation()];

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

/** The span processors every process adds next to its exporter's (see PrismaSemconvSpanProcessor). */
export const traceSpanProcessors = (): SpanProcessor[] => [new PrismaSemconvSpanProcessor()];
