/**
 * A real local OTLP/HTTP trace receiver (what a collector listens with on
 * :4318): POST /v1/traces with an ExportTraceServiceRequest in the JSON
 * encoding (`http/json`, what @opentelemetry/exporter-trace-otlp-http sends),
 * gzip or plain. Every span received is kept, flattened with its resource's
 * service name and its attributes decoded to plain values, so a test asserts
 * on exactly what left the process. Anything else is answered 404 / 415.
 */
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { listenLocal, readBodyBytes } from "./mock-http";

type AttrValue = string | number | boolean | null | AttrValue[];

export type ReceivedSpan = {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, AttrValue>;
  /** Attribute values of the span's events too (content must not hide there either). */
  eventAttributes: Record<string, AttrValue>[];
};

// The OTLP JSON mapping: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
type ZAnyValueT = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: ZAnyValueT[] };
};
const ZAnyValue: z.ZodType<ZAnyValueT> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.number(), z.string()]).optional(),
    doubleValue: z.number().optional(),
    arrayValue: z.object({ values: z.array(ZAnyValue).optional() }).optional(),
  }),
);
const ZKeyValues = z.array(z.object({ key: z.string(), value: ZAnyValue })).default([]);
const ZExportTraceServiceRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: ZKeyValues }).optional(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().default("") }).optional(),
              spans: z
                .array(
                  z.object({
                    traceId: z.string(),
                    spanId: z.string(),
                    parentSpanId: z.string().optional(),
                    name: z.string(),
                    kind: z.number().default(0),
                    attributes: ZKeyValues,
                    events: z.array(z.object({ attributes: ZKeyValues })).default([]),
                  }),
                )
                .default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

const decode = (v: ZAnyValueT): AttrValue => {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(decode);
  return null;
};
const toRecord = (kvs: { key: string; value: ZAnyValueT }[]) => Object.fromEntries(kvs.map((kv) => [kv.key, decode(kv.value)]));

export type OtlpReceiver = {
  /** The traces URL to export to, e.g. http://127.0.0.1:43123/v1/traces */
  url: string;
  spans: ReceivedSpan[];
  /** Export requests received (each answered 200). */
  requests: number;
  /** Each accepted request's body as received (decompressed JSON text): for "appears nowhere" checks. */
  bodies: string[];
  close: () => Promise<void>;
};

export const startOtlpReceiver = async (): Promise<OtlpReceiver> => {
  const state = { spans: [] as ReceivedSpan[], requests: 0, bodies: [] as string[] };
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") return res.writeHead(404).end();
      if (!String(req.headers["content-type"]).startsWith("application/json")) return res.writeHead(415).end();
      const raw = await readBodyBytes(req);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const parsed = ZExportTraceServiceRequest.safeParse(JSON.parse(body.toString("utf8")));
      if (!parsed.success) return res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: parsed.error.message }));
      state.requests++;
      state.bodies.push(body.toString("utf8"));
      for (const rs of parsed.data.resourceSpans) {
        const service = String(toRecord(rs.resource?.attributes ?? [])["service.name"] ?? "");
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            state.spans.push({
              service,
              scope: ss.scope?.name ?? "",
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              kind: s.kind,
              attributes: toRecord(s.attributes),
              eventAttributes: s.events.map((e) => toRecord(e.attributes)),
            });
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  const { origin, close } = await listenLocal(server);
  return {
    url: `${origin}/v1/traces`,
    get spans() {
      return state.spans;
    },
    get requests() {
      return state.requests;
    },
    get bodies() {
      return state.bodies;
    },
    close,
  };
};
