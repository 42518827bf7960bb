/**
 * OTLP push: with OTEL_EXPORTER_OTLP_METRICS_ENDPOINT set, the process's
 * MeterProvider pushes over OTLP/HTTP (JSON encoding) to a real local receiver
 * on 127.0.0.1, and an LLM call through the gateway (offline model) arrives as
 * gen_ai.client.token.usage datapoints with the semconv attributes — the model
 * normalised, no tenant.
 */
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, expect, it } from "vitest";
import { listenLocal, readBodyBytes } from "./support/mock-http";

type KeyValue = { key: string; value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean } };
type HistogramPoint = { attributes?: KeyValue[]; count?: string | number; sum?: number };
type MetricsRequest = {
  resourceMetrics?: { resource?: { attributes?: KeyValue[] }; scopeMetrics?: { metrics?: { name: string; unit?: string; histogram?: { dataPoints?: HistogramPoint[] } }[] }[] }[];
};

const received: { contentType: string | undefined; body: MetricsRequest }[] = [];
const server = createServer((req, res) => {
  void readBodyBytes(req).then((raw) => {
    if (req.method !== "POST" || req.url !== "/v1/metrics") return void res.writeHead(404).end();
    const bytes = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
    received.push({ contentType: req.headers["content-type"], body: JSON.parse(bytes.toString("utf8")) as MetricsRequest });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
const receiver = await listenLocal(server);
afterAll(() => receiver.close());

// Before src/env.js is first imported (the dynamic imports below).
process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT = `${receiver.origin}/v1/metrics`;
process.env.OTEL_METRIC_EXPORT_INTERVAL = "3600000"; // pushed by flushMetrics(), not by the timer
const { flushMetrics, shutdownMetrics } = await import("~/server/infra/metrics-exporter");
const { streamChat } = await import("~/server/services/llm/gateway");
const { createTenantWithMembers } = await import("../prisma/factories");
afterAll(() => shutdownMetrics());

const attrs = (kv: KeyValue[] = []) => Object.fromEntries(kv.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue ?? a.value.boolValue]));

it("pushes gen_ai.client.token.usage with the semconv attributes to the OTLP endpoint", async () => {
  const f = await createTenantWithMembers();
  const res = await streamChat({ tenantId: f.tenant.id, userId: f.member.id, personaKey: "cfo", messages: [{ role: "user", content: "What is our runway?" }], model: { provider: "offline" }, offlineChunkDelayMs: 0 }).result;
  expect(res.usage.outputTokens).toBeGreaterThan(0);
  await flushMetrics();

  expect(received.length).toBeGreaterThan(0);
  expect(received[0]!.contentType).toContain("application/json");
  const resource = attrs(received.at(-1)!.body.resourceMetrics?.[0]?.resource?.attributes);
  expect(resource["service.name"]).toBe("ocsuite-web");
  const usage = received
    .flatMap((r) => r.body.resourceMetrics ?? [])
    .flatMap((rm) => rm.scopeMetrics ?? [])
    .flatMap((sm) => sm.metrics ?? [])
    .filter((m) => m.name === "gen_ai.client.token.usage");
  expect(usage.length).toBeGreaterThan(0);
  expect(usage[0]!.unit).toBe("{token}");
  const points = usage.flatMap((m) => m.histogram?.dataPoints ?? []).map((p) => ({ attributes: attrs(p.attributes), count: Number(p.count), sum: p.sum }));
  const output = points.find((p) => p.attributes["gen_ai.token.type"] === "output");
  expect(output?.attributes).toEqual({
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "ocsuite-offline",
    "gen_ai.request.model": "offline",
    "gen_ai.token.type": "output",
  });
  expect(output?.count).toBe(1);
  expect(output?.sum).toBe(res.usage.outputTokens);
  expect(points.some((p) => Object.values(p.attributes).includes(f.tenant.id))).toBe(false);
});
