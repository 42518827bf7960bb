/**
 * The worker's tracer provider configuration: where spans go (the OTLP rule
 * for the traces endpoint), which service name they carry, and the DB
 * attributes added to Prisma's spans. The end-to-end export through a real
 * OTLP receiver is tests/tracing-e2e.test.ts.
 */
import { SpanKind } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { NextServerSpanSemconvProcessor, PrismaSemconvSpanProcessor } from "./trace-instrumentations";
import { serviceNameFor, tracesUrlFrom } from "./trace-sdk";

describe("tracesUrlFrom", () => {
  it("uses the traces endpoint as given, else the base endpoint + /v1/traces, else nothing (not exported)", () => {
    expect(tracesUrlFrom({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/custom", OTEL_EXPORTER_OTLP_ENDPOINT: "http://b:4318" })).toBe("http://c:4318/custom");
    expect(tracesUrlFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://b:4318/" })).toBe("http://b:4318/v1/traces");
    expect(tracesUrlFrom({})).toBeUndefined();
  });
});

describe("serviceNameFor", () => {
  it("keeps an operator's OTEL_SERVICE_NAME but never reports another process as the web's default", () => {
    expect(serviceNameFor("ocsuite-worker", "ocsuite-worker-eu")).toBe("ocsuite-worker-eu");
    expect(serviceNameFor("ocsuite-worker", "ocsuite-web")).toBe("ocsuite-worker");
    expect(serviceNameFor("ocsuite-worker", undefined)).toBe("ocsuite-worker");
  });
});

describe("PrismaSemconvSpanProcessor", () => {
  it("names the operation and the table on Prisma's operation and query spans", () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new PrismaSemconvSpanProcessor(), new SimpleSpanProcessor(exporter)] }).getTracer("prisma");
    tracer.startSpan("prisma:client:operation", { attributes: { model: "Task", method: "create" } }).end();
    tracer.startSpan("prisma:client:db_query", { attributes: { "db.query.text": 'INSERT INTO "public"."Task" ("id") VALUES ($1)', "db.system.name": "postgresql" } }).end();
    tracer.startSpan("prisma:client:db_query", { attributes: { "db.query.text": 'SELECT "public"."Tenant"."id" FROM "public"."Tenant" WHERE "id" = $1' } }).end();
    tracer.startSpan("prisma:client:db_query", { attributes: { "db.query.text": "COMMIT" } }).end();
    tracer.startSpan("trpc task.create", { attributes: { model: "not prisma" } }).end();
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes["db.operation.name"], s.attributes["db.collection.name"]])).toEqual([
      ["prisma:client:operation", "create", "Task"],
      ["prisma:client:db_query", "INSERT", "Task"],
      ["prisma:client:db_query", "SELECT", "Tenant"],
      ["prisma:client:db_query", "COMMIT", undefined],
      ["trpc task.create", undefined, undefined],
    ]);
  });
});

describe("NextServerSpanSemconvProcessor", () => {
  it("gives Next's request span the current HTTP attribute names, and leaves other spans alone", () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new NextServerSpanSemconvProcessor(), new SimpleSpanProcessor(exporter)] }).getTracer("next.js");
    const next = tracer.startSpan("POST /api/trpc/[trpc]", { kind: SpanKind.SERVER, attributes: { "next.span_type": "BaseServer.handleRequest", "http.method": "POST", "http.target": "/api/trpc/task.create" } });
    next.setAttributes({ "http.status_code": 200, "http.route": "/api/trpc/[trpc]" });
    next.end();
    tracer.startSpan("GET /x", { kind: SpanKind.SERVER, attributes: { "http.method": "GET", "http.status_code": 404 } }).end();
    const [nextSpan, other] = exporter.getFinishedSpans();
    expect(nextSpan?.attributes).toMatchObject({ "http.request.method": "POST", "http.response.status_code": 200, "http.route": "/api/trpc/[trpc]" });
    expect(other?.attributes["http.request.method"]).toBeUndefined();
  });
});
